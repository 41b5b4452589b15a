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
  check();
  setTimeout(check, 1200);
})();
