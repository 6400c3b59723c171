// Starts Pagefind's search UI on the search page (templates/search.html).
// The bundle and base URLs come from the page, so a site under a base path
// (or a partner's output in its own folder) finds its own index
// (`data-bundle`). The UI loads Pagefind from `data-words` (js/whole-words/),
// whose pagefind.js wraps the bundle's to search whole words first and
// never answer with a word shorter than the one asked for. The query
// is kept in the address (`?q=`), so the header form, reloading and the back
// button all work. Without this script the page explains that search needs
// JavaScript; nothing else on the site depends on it.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var label = document.getElementById("search-label");
  if (typeof PagefindUI !== "function") {
    var failed = document.getElementById("search-unavailable");
    if (failed) failed.hidden = false;
    if (label) label.hidden = true;
    return;
  }
  var params = new URLSearchParams(window.location.search);
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: box.dataset.words || box.dataset.bundle,
    baseUrl: box.dataset.base,
    showImages: false,
    showSubResults: true,
    resetStyles: true,
    translations: { placeholder: "Search playbooks, guides and kits" },
    processTerm: function (term) {
      var url = new URL(window.location.href);
      if (term) {
        url.searchParams.set("q", term);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url);
      return term;
    }
  });
  // A visible label for the box, which Pagefind names only by its title.
  var input = box.querySelector(".pagefind-ui__search-input");
  if (input && label) {
    input.id = "search-input";
    label.htmlFor = "search-input";
  }
  var q = params.get("q");
  if (q) ui.triggerSearch(q);
})();
