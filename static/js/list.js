/* Filter and sort the home page's paper list in place. Without JavaScript the
   full list, sorted by title, is shown and the controls stay hidden. The choices are
   kept in the URL (?author=…&topic=…&sort=…) so a filtered list can be shared. */
(function () {
  "use strict";
  var controls = document.querySelector("[data-list-controls]");
  var list = document.getElementById("paper-list");
  if (!controls || !list) return;
  var filter = document.getElementById("list-filter");
  var sort = document.getElementById("list-sort");
  var count = document.getElementById("list-count");
  // Each select filters on one data attribute of the cards; `multi` ones hold a|b|c.
  var selects = [
    { el: document.getElementById("list-author"), param: "author", attr: "authors", multi: true },
    { el: document.getElementById("list-topic"), param: "topic", attr: "topics", multi: true },
    { el: document.getElementById("list-tag"), param: "tag", attr: "tags", multi: true },
    { el: document.getElementById("list-status"), param: "status", attr: "status", multi: false }
  ].filter(function (s) { return s.el; });
  var cards = Array.prototype.slice.call(list.children);
  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  var params = new URLSearchParams(window.location.search);
  controls.hidden = false;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  cards.forEach(function (card) {
    card._haystack = fold(card.dataset.title + " " + card.dataset.authors.replace(/\|/g, " "));
    card._values = {};
    selects.forEach(function (s) {
      var raw = card.dataset[s.attr] || "";
      card._values[s.attr] = s.multi ? raw.split("|").filter(Boolean) : [raw];
    });
  });
  selects.forEach(function (s) {
    var wanted = params.get(s.param);
    if (wanted && Array.prototype.some.call(s.el.options, function (o) { return o.value === wanted; })) {
      s.el.value = wanted;
    }
  });
  if (params.get("sort")) sort.value = params.get("sort");
  if (params.get("filter")) filter.value = params.get("filter");

  function matches(card, words) {
    if (!words.every(function (w) { return card._haystack.indexOf(w) !== -1; })) return false;
    return selects.every(function (s) {
      var wanted = s.el.value;
      if (!wanted) return true;
      if (wanted === "none") return card._values[s.attr][0] === "";
      return card._values[s.attr].indexOf(wanted) !== -1;
    });
  }

  function compare(key) {
    return function (a, b) {
      if (key === "author") {
        var byAuthor = collator.compare(a.dataset.authors.split("|")[0] || "", b.dataset.authors.split("|")[0] || "");
        if (byAuthor) return byAuthor;
      }
      if (key === "added" || key === "added-desc") {
        var da = a.dataset.added, db = b.dataset.added;
        if (da !== db) {
          if (!da) return 1;  // papers without a date go last either way
          if (!db) return -1;
          return (da < db ? -1 : 1) * (key === "added" ? 1 : -1);
        }
      }
      var byTitle = collator.compare(a.dataset.title, b.dataset.title);
      return key === "title-desc" ? -byTitle : byTitle;
    };
  }

  function apply() {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, words);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    cards.slice().sort(compare(sort.value)).forEach(function (card) { list.appendChild(card); });
    count.textContent = shown === cards.length
      ? "Showing all " + cards.length + " papers"
      : "Showing " + shown + " of " + cards.length + " papers";
    var url = new URL(window.location.href);
    var state = [["filter", filter.value], ["sort", sort.value === "title" ? "" : sort.value]];
    selects.forEach(function (s) { state.push([s.param, s.el.value]); });
    state.forEach(function (kv) {
      if (kv[1]) url.searchParams.set(kv[0], kv[1]); else url.searchParams.delete(kv[0]);
    });
    if (window.location.protocol !== "file:") window.history.replaceState(null, "", url);
  }
  filter.addEventListener("input", apply);
  sort.addEventListener("change", apply);
  selects.forEach(function (s) { s.el.addEventListener("change", apply); });
  apply();
})();
