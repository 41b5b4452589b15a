/* Filter and sort the home page's paper list in place. Without JavaScript the
   full list, sorted by title, is shown and the controls stay hidden. */
(function () {
  "use strict";
  var controls = document.querySelector("[data-list-controls]");
  var list = document.getElementById("paper-list");
  if (!controls || !list) return;
  var filter = document.getElementById("list-filter");
  var author = document.getElementById("list-author");
  var sort = document.getElementById("list-sort");
  var count = document.getElementById("list-count");
  var cards = Array.prototype.slice.call(list.children);
  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  var params = new URLSearchParams(window.location.search);
  controls.hidden = false;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  cards.forEach(function (card) {
    card._haystack = fold(card.dataset.title + " " + card.dataset.authors.replace(/\|/g, " "));
    card._authors = card.dataset.authors ? card.dataset.authors.split("|") : [];
  });
  if (params.get("author")) author.value = params.get("author");
  if (params.get("sort")) sort.value = params.get("sort");
  if (params.get("filter")) filter.value = params.get("filter");

  function apply() {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var who = author.value;
    var shown = 0;
    cards.forEach(function (card) {
      var ok = words.every(function (w) { return card._haystack.indexOf(w) !== -1; }) &&
        (!who || card._authors.indexOf(who) !== -1);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    var key = sort.value;
    var sorted = cards.slice().sort(function (a, b) {
      if (key === "author") {
        var byAuthor = collator.compare(a._authors[0] || "", b._authors[0] || "");
        if (byAuthor) return byAuthor;
      }
      var byTitle = collator.compare(a.dataset.title, b.dataset.title);
      return key === "title-desc" ? -byTitle : byTitle;
    });
    sorted.forEach(function (card) { list.appendChild(card); });
    count.textContent = shown === cards.length
      ? "Showing all " + cards.length + " papers"
      : "Showing " + shown + " of " + cards.length + " papers";
    var url = new URL(window.location.href);
    [["filter", filter.value], ["author", who], ["sort", key === "title" ? "" : key]].forEach(function (kv) {
      if (kv[1]) url.searchParams.set(kv[0], kv[1]); else url.searchParams.delete(kv[0]);
    });
    if (window.location.protocol !== "file:") window.history.replaceState(null, "", url);
  }
  filter.addEventListener("input", apply);
  author.addEventListener("change", apply);
  sort.addEventListener("change", apply);
  apply();
})();
