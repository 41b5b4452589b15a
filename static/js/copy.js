/* Copy buttons: a button with data-copy-target="<id>" copies that element's text.
   The buttons stay hidden without JavaScript, where the text can still be selected. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent;
      var done = function (ok) {
        button.textContent = ok ? "Copied" : "Select and copy the text above";
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok);
      }
    });
  });
})();
