// The draft editor: selection, drag-and-drop ordering, phrases typed into the open editor.
// Every change still goes through the server (the same services as the buttons).
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  if (!editor) return;
  var anchor = document.getElementById("anchor");
  var lastTextarea = null;

  function select(id) {
    anchor.value = id || "";
    document.querySelectorAll("#document .item-row.selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    var row = id && document.getElementById("item-" + id);
    if (row) row.classList.add("selected");
    var hint = document.getElementById("selection-hint");
    if (hint) hint.textContent = row ? "已选中一段：新内容会加在它后面，“添加下级”加在它下面" : "点选段落后，新内容会加在它后面";
  }

  editor.addEventListener("click", function (event) {
    var item = event.target.closest("#document li.item");
    if (item) select(item.getAttribute("data-id"));
  });

  editor.addEventListener("focusin", function (event) {
    if (event.target.matches(".item-edit textarea, .item-edit input[name=heading]")) {
      lastTextarea = event.target;
    }
  });

  // A phrase goes into the text being edited, at the cursor, when an editor is open.
  document.body.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest && event.target.closest("form.insert-phrase");
    if (!form || !lastTextarea || !document.body.contains(lastTextarea)) return;
    event.preventDefault();
    var text = form.getAttribute("data-text");
    var start = lastTextarea.selectionStart, end = lastTextarea.selectionEnd;
    var value = lastTextarea.value;
    lastTextarea.value = value.slice(0, start) + text + value.slice(end);
    lastTextarea.focus();
    lastTextarea.setSelectionRange(start + text.length, start + text.length);
    var body = new FormData();
    body.append("phrase", form.getAttribute("data-phrase"));
    fetch(form.getAttribute("data-used-url"), {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"] },
    });
  });

  function initSortable(root) {
    if (!window.Sortable) return;
    var doc = root.id === "document" ? root : root.querySelector && root.querySelector("#document");
    if (!doc) return;
    var moveUrl = doc.getAttribute("data-move-url");
    doc.querySelectorAll("ol.outline").forEach(function (list) {
      Sortable.create(list, {
        group: "outline",
        handle: ".handle",
        animation: 120,
        fallbackOnBody: true,
        forceFallback: true, // pointer events rather than HTML5 drag: steadier across browsers
        onEnd: function (evt) {
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
          var id = evt.item.getAttribute("data-id");
          htmx.ajax("POST", moveUrl.replace("/0/move/", "/" + id + "/move/"), {
            target: "#document",
            swap: "outerHTML",
            values: {
              parent: evt.to.getAttribute("data-parent") || "",
              position: evt.newIndex,
              current_version: document.getElementById("draft-version").value,
            },
          });
        },
      });
    });
  }

  htmx.onLoad(function (el) {
    initSortable(el);
    if (el.id === "document" && anchor.value) select(anchor.value);
  });
  // Sortable.js is loaded with defer after this file on first load.
  window.addEventListener("load", function () { initSortable(document.getElementById("document")); });
})();
