// 批注 on the editor page, in the editor and in the page that only reads alike.
//
// Words selected in one item's heading or body (a part of the text carrying data-field, or
// the open form's fields) show a 批注 button beside them; it opens the form, which is sent
// with where the words are: the item, the field, the words, the text beside them and their
// offset in the field's text as it is stored (slots as {{ 名称 }}: editor.js's textOf).
// The words of open comments are highlighted in the text (<mark class="comment-anchor">,
// which editor.js reads through as plain text). An answer typed in the margin survives the
// margin being drawn again; nothing typed here is ever thrown away by the page.
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  if (!editor) return;
  var button = document.getElementById("comment-button");
  var form = document.getElementById("comment-form");
  var CONTEXT = 40; // characters beside the words sent along (drafts/comments.py keeps 40)

  function textOf(el) {
    return window.speechdraftEditor && speechdraftEditor.textOf ? speechdraftEditor.textOf(el) : el.textContent;
  }
  function elementOf(node) { return node && (node.nodeType === 1 ? node : node.parentNode); }
  function partOf(node) {
    var el = elementOf(node);
    return el && el.closest ? el.closest("#document .item-text [data-field]") : null;
  }
  function rowOf(node) {
    var el = elementOf(node);
    return el && el.closest ? el.closest("#document .item-row") : null;
  }
  function partsOf(row, field) {
    return Array.prototype.slice.call(row.querySelectorAll('.item-text [data-field="' + field + '"]'));
  }

  // --- the words selected ----------------------------------------------------------------

  function prefixLength(el, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(el);
    range.setEnd(node, offset);
    return textOf(range.cloneContents()).length;
  }
  function place(row, field, text, start, end, box) {
    if (end < start) { var t = start; start = end; end = t; }
    var words = text.slice(start, end);
    if (!row || !words.trim()) return null;
    return {
      item: row.id.slice(5), field: field, anchor: words, offset: start, box: box,
      before: text.slice(Math.max(0, start - CONTEXT), start), after: text.slice(end, end + CONTEXT),
    };
  }
  // What is selected now, as a place in one field's text; null when nothing is, or when the
  // selection is not within one item's heading or body.
  function selected() {
    var active = document.activeElement;
    if (active && /^(TEXTAREA|INPUT)$/.test(active.tagName) && active.closest("#document .item-edit")) {
      var name = active.name;
      if ((name !== "heading" && name !== "body") || active.selectionStart === active.selectionEnd) return null;
      return place(active.closest(".item-row"), name, active.value, active.selectionStart,
        active.selectionEnd, active.getBoundingClientRect());
    }
    var sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    var first = partOf(range.startContainer), last = partOf(range.endContainer);
    if (!first || !last) return null;
    var row = rowOf(first);
    var field = first.getAttribute("data-field");
    if (row !== rowOf(last) || last.getAttribute("data-field") !== field) {
      // Across two items, or a heading and its text: a 批注 is on the words of one.
      var spans = range.getClientRects();
      return { across: true, box: spans.length ? spans[spans.length - 1] : range.getBoundingClientRect() };
    }
    var parts = partsOf(row, field);
    var texts = parts.map(textOf);
    function base(el) {
      var n = 0;
      for (var k = 0; k < parts.indexOf(el); k++) n += texts[k].length + 1;
      return n;
    }
    var start = base(first) + prefixLength(first, range.startContainer, range.startOffset);
    var end = base(last) + prefixLength(last, range.endContainer, range.endOffset);
    var rects = range.getClientRects();
    var box = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    return place(row, field, texts.join("\n"), start, end, box);
  }

  // --- the button and the form ------------------------------------------------------------

  var current = null; // the place the button stands for
  var LABEL = button ? button.textContent : "批注";
  var ACROSS = "批注请选同一段内的文字";
  var ACROSS_HINT = "批注针对一个标题或一段正文中的文字：请只选其中一处的文字。";
  function clamp(value, low, high) { return Math.max(low, Math.min(value, high)); }
  function showButton() {
    if (!button || !form) return;
    var found = selected();
    if (!found) {
      if (!button.matches(":hover")) { button.hidden = true; current = null; }
      return;
    }
    current = found.across ? null : found;
    button.textContent = found.across ? ACROSS : LABEL;
    button.disabled = !!found.across;
    button.title = found.across ? ACROSS_HINT : "";
    button.hidden = false;
    button.style.top = clamp(found.box.bottom + 6, 0, window.innerHeight - button.offsetHeight - 4) + "px";
    button.style.left = clamp(found.box.right - button.offsetWidth / 2, 4, window.innerWidth - button.offsetWidth - 4) + "px";
  }
  var selectTimer = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(selectTimer);
    selectTimer = setTimeout(showButton, 120);
  });
  ["mouseup", "keyup"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (button && button.contains(event.target)) return;
      setTimeout(showButton, 0);
    });
  });
  window.addEventListener("scroll", function () { if (current) showButton(); }, { passive: true });

  if (button) {
    // Pressing the button leaves the selection where it is.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () {
      var place = current || selected();
      if (place && !place.across) openForm(place);
    });
  }
  // Ctrl+Alt+M, as in Word: a 批注 on the words selected.
  if (form) document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || !event.altKey || event.code !== "KeyM") return;
    event.preventDefault();
    var place = selected();
    if (place && !place.across) { openForm(place); return; }
    window.speechdraftProblem(place ? ACROSS_HINT : "请先在正文中选中要批注的文字，再按 Ctrl+Alt+M。");
  });
  function field(name) { return form.querySelector('[name="' + name + '"]'); }
  function openForm(at) {
    ["item", "field", "anchor", "before", "after", "offset"].forEach(function (key) {
      field(key === "item" ? "item_id" : key).value = at[key];
    });
    var quote = at.anchor.replace(/\n/g, " ");
    form.querySelector("[data-comment-quote]").textContent = quote.length > 40 ? quote.slice(0, 40) + "…" : quote;
    document.getElementById("comment-form-error").replaceChildren();
    form.hidden = false;
    button.hidden = true;
    var width = form.offsetWidth, height = form.offsetHeight;
    form.style.top = clamp(at.box.bottom + 6, 4, window.innerHeight - height - 4) + "px";
    form.style.left = clamp(at.box.left, 4, window.innerWidth - width - 4) + "px";
    form.querySelector("textarea").focus({ preventScroll: true });
  }
  // 收起 (or Esc): the form goes away, what was typed in it stays for the next time.
  function closeForm() { if (form) form.hidden = true; }
  if (form) {
    form.querySelector("[data-comment-close]").addEventListener("click", closeForm);
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); closeForm(); }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
    });
  }
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!form || elt !== form || !event.detail.xhr || event.detail.xhr.status !== 200) return;
    form.querySelector("textarea").value = ""; // sent: it is in the margin now
    closeForm();
    current = null;
    var sel = window.getSelection();
    if (sel.rangeCount && partOf(sel.anchorNode)) sel.removeAllRanges();
  });

  // --- answers typed in the margin survive its being drawn again --------------------------

  var kept = null;
  function keepTyped(sent) {
    var box = document.getElementById("comments");
    if (!box) return;
    kept = kept || {};
    box.querySelectorAll("textarea[data-keep]").forEach(function (area) {
      if (!area.value || (sent && sent.contains(area))) return; // the answer just sent is in
      kept[area.getAttribute("data-keep")] = { value: area.value, focus: area === document.activeElement };
    });
  }
  function putBack() {
    var box = document.getElementById("comments");
    if (!kept || !box) return;
    var homeless = [];
    Object.keys(kept).forEach(function (key) {
      var area = box.querySelector('textarea[data-keep="' + key + '"]');
      if (!area) { homeless.push(kept[key].value); return; }
      area.value = kept[key].value;
      var details = area.closest("details");
      if (details) details.open = true;
      if (kept[key].focus) area.focus({ preventScroll: true });
    });
    kept = null;
    // An answer whose thread takes no answer now (定稿 meanwhile) stays on screen to copy.
    homeless.forEach(function (text) {
      var note = document.createElement("div");
      note.className = "comment-orphan";
      note.innerHTML = '<p class="error">这条回复未能发送（讲话稿已不能再批注），请复制保存：</p><textarea rows="2" readonly></textarea>';
      note.querySelector("textarea").value = text;
      box.insertBefore(note, box.children[1] || null);
    });
  }
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "comments" && event.detail.shouldSwap) {
      keepTyped(event.detail.requestConfig && event.detail.requestConfig.elt);
    }
  });
  document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "comments") keepTyped(null);
  });
  document.body.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "comments") { putBack(); applyMarks(); }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var id = event.detail.target && event.detail.target.id;
    if (id === "comments") putBack();
    if (id === "comments" || id === "document") applyMarks();
  });

  // --- the commented words, highlighted ---------------------------------------------------

  function marksData() {
    var el = document.getElementById("comment-marks");
    try { return el ? JSON.parse(el.textContent) : []; } catch (e) { return []; }
  }
  // A field being typed into keeps its text nodes as they are (the caret is in one).
  function busyPart() { return partOf(document.activeElement) || partOf(window.getSelection().anchorNode); }
  function unwrap(mark) {
    var parent = mark.parentNode;
    while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
    parent.removeChild(mark);
    parent.normalize();
  }
  function nearest(text, words, near) {
    var best = -1;
    for (var at = text.indexOf(words); at >= 0; at = text.indexOf(words, at + 1)) {
      if (best < 0 || Math.abs(at - near) < Math.abs(best - near)) best = at;
    }
    return best;
  }
  // Wrap the characters [start, end) of one part's stored text; a blank (chip) stays whole.
  function wrap(el, start, end, id) {
    var pos = 0, pieces = [];
    (function walk(node) {
      for (var n = node.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) {
          var len = n.nodeValue.length;
          var a = Math.max(start, pos), b = Math.min(end, pos + len);
          if (b > a) pieces.push([n, a - pos, b - pos]);
          pos += len;
        } else if (n.nodeType === 1) {
          var slot = n.getAttribute("data-slot");
          if (slot) pos += ("{{ " + slot + " }}").length;
          else if (n.tagName !== "BR") walk(n);
        }
      }
    })(el);
    pieces.forEach(function (piece) {
      var node = piece[0];
      if (piece[1] > 0) node = node.splitText(piece[1]);
      if (piece[2] - piece[1] < node.nodeValue.length) node.splitText(piece[2] - piece[1]);
      var mark = document.createElement("mark");
      mark.className = "comment-anchor";
      mark.setAttribute("data-comment", id);
      mark.title = "有批注";
      node.parentNode.insertBefore(mark, node);
      mark.appendChild(node);
    });
  }
  function applyMarks() {
    var busy = busyPart();
    document.querySelectorAll("#document mark.comment-anchor").forEach(function (mark) {
      if (!busy || !busy.contains(mark)) unwrap(mark);
    });
    marksData().forEach(function (m) {
      var row = document.getElementById("item-" + m.item);
      if (!row) return;
      var parts = partsOf(row, m.field);
      if (!parts.length || parts.indexOf(busy) >= 0) return;
      var texts = parts.map(textOf);
      var text = texts.join("\n");
      var at = text.substr(m.start, m.anchor.length) === m.anchor ? m.start : nearest(text, m.anchor, m.start);
      if (at < 0) return;
      var end = at + m.anchor.length, base = 0;
      parts.forEach(function (el, k) {
        var len = texts[k].length;
        var s = Math.max(at, base) - base, e = Math.min(end, base + len) - base;
        if (e > s) wrap(el, s, e, m.id);
        base += len + 1;
      });
    });
  }

  // A highlighted word shows its comment in the margin; a comment's quote, its words.
  function spotlight(el) {
    if (!el) return;
    el.classList.remove("comment-spot");
    void el.offsetWidth; // the highlight runs again on a second click
    el.classList.add("comment-spot");
    el.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark.comment-anchor");
    if (mark) spotlight(document.getElementById("comment-" + mark.getAttribute("data-comment")));
    var locate = event.target.closest && event.target.closest("[data-comment-locate]");
    if (locate) {
      var words = document.querySelector('mark.comment-anchor[data-comment="' + locate.getAttribute("data-comment-locate") + '"]');
      if (words) { event.preventDefault(); spotlight(words); }
    }
  });

  applyMarks();
})();
