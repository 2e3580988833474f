// The editor's 素材 panel: 展开 / 收起 (remembered in this browser) and 查看全文 in a dialog.
// Requests stay the editor's: the dialog's 插入到本稿 and 收藏 are htmx forms inside #editor,
// so editor.js queues them like the panel's own (text typed and not yet saved goes first).
(function () {
  "use strict";
  var KEY = "speechdraft:library-panel-wide";
  var grid = document.querySelector(".editor-grid");
  var panel = document.getElementById("library-panel");
  var button = document.getElementById("panel-widen");
  var overlay = window.matchMedia("(max-width: 1200px)"); // the wide panel covers the draft

  function isWide() { return grid.classList.contains("panel-wide"); }
  function setWide(wide, remember) {
    grid.classList.toggle("panel-wide", wide);
    button.textContent = wide ? "收起" : "展开";
    button.setAttribute("aria-expanded", wide ? "true" : "false");
    button.title = wide ? "收起素材面板" : "展开素材面板，便于阅读";
    if (remember) {
      try { localStorage.setItem(KEY, wide ? "1" : "0"); } catch (e) { /* private mode */ }
    }
  }

  if (grid && panel && button) {
    var stored = null;
    try { stored = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    setWide(stored === "1", false);
    button.addEventListener("click", function () {
      var wide = !isWide();
      setWide(wide, true);
      if (wide && overlay.matches) {
        var search = panel.querySelector("input[type=search]");
        if (search) search.focus();
      }
    });
    // Over the draft, an insert puts the panel back (for this time) so the drafter sees
    // where the material went; Esc does too.
    panel.addEventListener("submit", function (event) {
      if (isWide() && overlay.matches && event.target.hasAttribute("data-material-insert")) setWide(false, false);
    });
    // Over the draft, Esc puts the panel back to its narrow place.
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !isWide() || !overlay.matches) return;
      event.preventDefault();
      event.stopPropagation();
      setWide(false, true);
      button.focus();
    });
  }

  var dialog = document.getElementById("material-dialog");
  if (!dialog) return;
  var opener = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "material-dialog-body" && !dialog.open) opener = event.detail.elt;
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "material-dialog-body") return;
    if (!dialog.open) dialog.showModal();
    dialog.scrollTop = 0;
    var title = dialog.querySelector("#material-title");
    if (title) { title.setAttribute("tabindex", "-1"); title.focus(); }
  });
  // 插入到本稿: htmx (and editor.js's queue) have the request; the dialog closes at once.
  dialog.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-closes-dialog")) dialog.close();
  });
  dialog.addEventListener("close", function () {
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
  // Keys typed in the dialog are the dialog's: not the editor's shortcuts behind it.
  dialog.addEventListener("keydown", function (event) { event.stopPropagation(); });
})();
