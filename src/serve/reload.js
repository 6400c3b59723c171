// Live reload for `partnersite serve`. The server adds this script to HTML
// pages it serves (never to a build written to disk). It listens to the
// server's events: a new build reloads the page; a failed build shows its
// errors over the page (the page itself stays the last good build).
(function () {
  "use strict";
  var me = document.currentScript ? document.currentScript.src : "";
  var match = /[?&]build=(\d+)/.exec(me);
  var build = match ? match[1] : null;
  var OVERLAY = "partnersite-build-error";

  function hideError() {
    var box = document.getElementById(OVERLAY);
    if (box) box.remove();
  }

  function showError(text) {
    var box = document.getElementById(OVERLAY);
    if (!box) {
      box = document.createElement("div");
      box.id = OVERLAY;
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;" +
        "padding:1.5rem 2rem;background:rgba(24,24,27,.95);color:#fafafa;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.setAttribute("aria-label", "Close the build errors");
      close.style.cssText =
        "float:right;font:inherit;padding:.25rem .75rem;cursor:pointer";
      close.addEventListener("click", hideError);
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#fca5a5";
      title.textContent =
        "partnersite: the last change did not build. Fix it and this page reloads.";
      var pre = document.createElement("pre");
      pre.style.cssText =
        "margin:0;padding:1rem;white-space:pre-wrap;overflow:auto;" +
        "background:#09090b;color:#fafafa;border:1px solid #52525b;" +
        "border-radius:6px;font:inherit";
      box.appendChild(close);
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    // textContent: the error text is shown as text, never parsed as HTML.
    box.querySelector("pre").textContent = text;
  }

  function newBuild(event) {
    if (build !== null && event.data !== build) {
      location.reload();
    }
  }

  var source = new EventSource("/__partnersite/events");
  source.addEventListener("hello", newBuild);
  source.addEventListener("reload", newBuild);
  source.addEventListener("error", function (event) {
    // The server's "error" events carry text; the browser's own "error"
    // (connection lost, it reconnects by itself) carries none.
    if (typeof event.data === "string") showError(event.data);
  });
})();
