/* Only in pages built by `site-builder serve`. livereload tells the pages that are
   connected when a build ends; a page that was itself reloading at that moment can miss
   the message and keep showing the older build. So each page also asks which build is
   current, once it has loaded and once more a moment later, and reloads if it is older. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="site-build"]');
  if (!meta || window.location.protocol === "file:") return;
  var root = document.documentElement.getAttribute("data-root") || "";
  function check() {
    fetch(root + "build-id.txt", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (current) {
        if (current && current.trim() !== meta.content) window.location.reload();
      })
      .catch(function () { /* server restarting: livereload will reconnect */ });
  }
  // A failed rebuild leaves build-errors.json beside the last good site: show it.
  function showErrors() {
    fetch(root + "build-errors.json", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (messages) {
        if (!messages || !messages.length) return;
        var box = document.createElement("div");
        box.className = "build-errors";
        box.setAttribute("role", "alert");
        var heading = document.createElement("p");
        heading.className = "build-errors-heading";
        heading.textContent = "The last build failed, so this is the last good site. Fix this and save:";
        box.appendChild(heading);
        var list = document.createElement("ul");
        messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        box.appendChild(list);
        document.body.insertBefore(box, document.body.firstChild);
      })
      .catch(function () { /* no errors file: the last build succeeded */ });
  }
  check();
  showErrors();
  setTimeout(check, 1200);
})();
