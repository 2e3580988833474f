// The draft editor: the page reads as the printed speech and the drafter types into it.
//
// What is typed is kept three ways until the server has it: in the page, in localStorage
// (per draft and item, offered back after a reload or a crash), and in every request the
// page sends: autosave about a second after the last keystroke and on leaving an item, and
// every structure action (insert, move, undo, library insert, variables…) carries the text
// not yet saved (`pending`), which the server saves first. Requests go one at a time, in
// order, so each builds on the version the one before returned. When the outline is swapped
// for a new one, text typed meanwhile is put back and the cursor stays where it was.
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  if (!editor) return;
  document.documentElement.classList.add("js");

  var draftId = editor.getAttribute("data-draft");
  var saveUrl = editor.getAttribute("data-save-url"); // …/items/0/save/
  var documentUrl = editor.getAttribute("data-document-url");
  var insertUrl = editor.getAttribute("data-insert-url");
  var anchor = document.getElementById("anchor");
  var STORE = "speechdraft:draft:" + draftId + ":item:";
  // The slot pattern of speechdraft/text/templating.py (SLOT_RE); a test keeps them equal.
  var SLOT = /\{\{\s*([A-Za-z\u3400-\u9fff][A-Za-z0-9_\u3400-\u9fff]{0,19})\s*\}\}/g;
  var SALUTATION = /^((?:[^，。：:]{0,12}[、，])?同志们|各位[^，。：:]{0,12})[：:]/;
  var EDITABLE = "#document .item-text [data-field]";
  // Keystroke handler times (ms), read by bench/editor_browser.py; `idle` tells a test (or a
  // curious drafter in the console) that everything typed is on the server.
  var perf = { input: [], keydown: [] };
  function timedHandler(kind, t0) {
    var list = perf[kind];
    list.push(performance.now() - t0);
    if (list.length > 10000) list.shift();
  }
  window.speechdraftEditor = {
    perf: perf,
    idle: function () { return queued === 0 && !hasUnsaved() && !holds.length; },
    textOf: textOf, // comments.js reads selected words as the stored text has them
  };
  // A page that only reads (审阅, 签发人, or the text locked by the flow): nothing is made
  // editable and nothing is saved from here. What this browser keeps of text typed earlier
  // stays kept, for when the draft may change again.
  if (editor.hasAttribute("data-readonly")) {
    window.speechdraftEditor.idle = function () { return true; };
    document.addEventListener("click", function (event) {
      var message = event.target.closest && event.target.closest("#flash p");
      if (message) message.remove();
    });
    document.body.addEventListener("htmx:afterRequest", function () { dismissLater(); });
    dismissLater();
    window.addEventListener("resize", placeSide);
    placeSide();
    return;
  }

  function csrf() {
    return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  }
  function versionInput() { return document.getElementById("draft-version"); }
  function currentVersion() { return versionInput().value; }
  function rowOf(node) { return node && node.closest ? node.closest("#document .item-row") : null; }
  function idOf(row) { return row.id.slice(5); }
  function itemRow(id) { return document.getElementById("item-" + id); }
  function fieldOf(node) { return node && node.closest ? node.closest(EDITABLE) : null; }

  // --- text ⇄ page ---------------------------------------------------------------------

  // The text of one editable part: slots as {{ 名称 }}, everything else as typed.
  function textOf(el) {
    var out = "";
    (function walk(node) {
      for (var n = node.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) out += n.nodeValue;
        else if (n.nodeType === 1) {
          var slot = n.getAttribute("data-slot");
          if (slot) out += "{{ " + slot + " }}";
          else if (n.tagName !== "BR") walk(n);
        }
      }
    })(el);
    return out.replace(/\u00a0/g, " ").replace(/[\r\n]+/g, "");
  }

  function bodyParts(row) { return row.querySelectorAll('.item-text [data-field="body"]'); }
  function headingPart(row) { return row.querySelector('.item-text [data-field="heading"]'); }

  function readItem(row) {
    var heading = headingPart(row);
    var paras = [];
    bodyParts(row).forEach(function (el) { paras.push(textOf(el)); });
    return { heading: heading ? textOf(heading) : null, body: paras.join("\n") };
  }

  function slotValues() {
    var el = document.getElementById("slot-values");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function chipHtml(name, values) {
    var value = values[name];
    var n = escapeHtml(name);
    if (value !== undefined && String(value).trim() !== "") {
      return '<span class="chip" contenteditable="false" data-slot="' + n + '" title="填空：' + n + '">' +
        escapeHtml(String(value)) + "</span>";
    }
    return '<span class="chip unfilled" contenteditable="false" data-slot="' + n + '" title="待填写：' + n +
      '">' + n + "</span>";
  }
  // Text as the page shows it: escaped, slots as chips.
  function renderText(text, values) {
    values = values || slotValues();
    var out = "", last = 0, m;
    SLOT.lastIndex = 0;
    while ((m = SLOT.exec(text))) {
      out += escapeHtml(text.slice(last, m.index)) + chipHtml(m[1], values);
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }
  function setText(el, text, values) {
    if (el.classList.contains("opening")) {
      var m = SALUTATION.exec(text);
      if (m) {
        var rest = text.slice(m[0].length).trim();
        el.innerHTML = '<span class="salutation' + (rest ? "" : " alone") + '">' +
          renderText(m[0], values) + "</span>" + renderText(rest, values);
        return;
      }
    }
    el.innerHTML = renderText(text, values);
    markEmpty(el);
  }
  function markEmpty(el) { el.classList.toggle("is-empty", !el.textContent); }

  function newBodyPara() {
    var p = document.createElement("p");
    p.className = "para ed";
    p.setAttribute("data-field", "body");
    p.setAttribute("data-ph", "输入正文");
    makeEditable(p);
    return p;
  }
  // The paragraph element an editable part belongs to (a run-in body is inside its lead line).
  function lineOf(el) { return el.classList.contains("ed-runin") ? el.parentNode : el; }

  function addBodyAfter(row, el) {
    var p = newBodyPara();
    var after = el ? lineOf(el) : row.querySelector(".item-text > :last-child");
    after.parentNode.insertBefore(p, after.nextSibling);
    return p;
  }

  // Put an item's text back into its row (after the outline was swapped for a new one).
  function writeItem(row, data) {
    var values = slotValues();
    var heading = headingPart(row);
    if (heading && data.heading !== null && data.heading !== undefined) setText(heading, data.heading, values);
    var paras = data.body === "" ? [] : data.body.split("\n");
    var parts = Array.prototype.slice.call(bodyParts(row));
    var keepFirst = parts.length && parts[0].classList.contains("ed-runin");
    if (!paras.length && !heading) paras = [""];
    for (var i = 0; i < paras.length; i++) {
      var el = parts[i] || addBodyAfter(row, parts[i - 1] || heading);
      parts[i] = el;
      setText(el, paras[i], values);
    }
    for (var j = paras.length; j < parts.length; j++) {
      if (j === 0 && keepFirst) setText(parts[0], "", values);
      else lineOf(parts[j]).remove();
    }
  }

  // --- cursor ----------------------------------------------------------------------------

  function selectionIn(el) {
    var sel = window.getSelection();
    if (!sel.rangeCount) return null;
    var range = sel.getRangeAt(0);
    return el.contains(range.startContainer) ? range : null;
  }
  function caretOffset(el) {
    var range = selectionIn(el);
    if (!range) return 0;
    var before = document.createRange();
    before.selectNodeContents(el);
    before.setEnd(range.startContainer, range.startOffset);
    return before.toString().length;
  }
  function placeCaret(el, offset) {
    if (offset === "end") offset = el.textContent.length;
    var range = document.createRange();
    var done = false;
    (function walk(node) {
      for (var n = node.firstChild; n && !done; n = n.nextSibling) {
        var len = n.textContent.length;
        if (n.nodeType === 3 && offset <= len) {
          range.setStart(n, offset); done = true;
        } else if (n.nodeType === 1 && n.getAttribute("data-slot")) {
          if (offset <= len) { range.setStartAfter(n); done = true; } else offset -= len;
        } else if (n.nodeType === 1 && offset <= len) {
          walk(n);
        } else offset -= len;
      }
    })(el);
    if (!done) { range.selectNodeContents(el); range.collapse(false); }
    range.collapse(true);
    el.focus({ preventScroll: true });
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    // Keep it in view below the working frame; measured on the next frame, so the key's
    // handler never waits for a layout of the whole outline.
    requestAnimationFrame(function () {
      var box = el.getBoundingClientRect();
      var frame = document.getElementById("work-frame");
      var top = frame ? frame.getBoundingClientRect().bottom : 0;
      if (box.top < top || box.bottom > window.innerHeight) {
        window.scrollBy(0, box.top - top - window.innerHeight / 3);
      }
    });
  }
  function atStart(el) { var r = selectionIn(el); return !!r && r.collapsed && caretOffset(el) === 0; }
  function atEnd(el) { var r = selectionIn(el); return !!r && r.collapsed && caretOffset(el) === el.textContent.length; }
  // Is the cursor on the first (edge -1) or last (edge 1) line of `el`? ↑/↓ there go on to
  // the part before or after, as they would from one paragraph to the next in Word.
  function onEdgeLine(el, edge) {
    var range = selectionIn(el);
    if (!range || !range.collapsed) return false;
    var rects = range.getClientRects();
    var caret = rects.length ? rects[0] : null;
    if (!caret || !caret.height) return edge < 0 ? atStart(el) : atEnd(el);
    var lines = el.getClientRects();
    if (!lines.length) return true;
    var line = edge < 0 ? lines[0] : lines[lines.length - 1];
    return edge < 0 ? caret.top < line.top + caret.height / 2 : caret.bottom > line.bottom - caret.height / 2;
  }
  function allFields() { return Array.prototype.slice.call(document.querySelectorAll(EDITABLE)); }

  // Where the cursor is, as (item, part, offset): it survives the outline being rebuilt.
  function cursorNow() {
    var el = fieldOf(document.activeElement);
    if (!el) {
      var row = rowOf(document.activeElement);
      return row ? { id: idOf(row), row: true } : null;
    }
    var row2 = rowOf(el);
    var fields = Array.prototype.slice.call(row2.querySelectorAll(".item-text [data-field]"));
    return { id: idOf(row2), index: fields.indexOf(el), offset: caretOffset(el) };
  }
  function cursorRestore(where) {
    var row = where && itemRow(where.id);
    if (!row) return false;
    if (where.row) { row.focus({ preventScroll: true }); activate(row); return true; }
    var fields = row.querySelectorAll(".item-text [data-field]");
    var el = fields[Math.min(where.index, fields.length - 1)];
    if (!el) { row.focus({ preventScroll: true }); activate(row); return true; }
    placeCaret(el, Math.min(where.offset, el.textContent.length));
    return true;
  }
  function focusItem(id, field, offset) {
    var row = itemRow(id);
    if (!row) return;
    var el = field === "heading" ? headingPart(row) : bodyParts(row)[0];
    el = el || row.querySelector(".item-text [data-field]");
    if (el) placeCaret(el, offset === undefined ? 0 : offset);
    else row.focus();
    activate(row);
  }

  // --- the current item ---------------------------------------------------------------

  function activate(row) {
    if (row && row.classList.contains("active") && bar && bar.parentNode === row) return;
    var old = document.querySelectorAll("#document .item-row.active");
    for (var i = 0; i < old.length; i++) if (old[i] !== row) old[i].classList.remove("active");
    if (!row) { anchor.value = ""; placeBar(null); return; }
    row.classList.add("active");
    anchor.value = idOf(row);
    placeBar(row);
    showReference(row);
    suggestFor(row);
  }
  // 建议素材 follow the cursor: entering another part with the search box empty asks the
  // panel again (the request carries #anchor, from which the server knows the part).
  var lastPart = null;
  function suggestFor(row) {
    var top = row.closest("#document ol.root > li");
    var part = top ? top.getAttribute("data-id") || top.id : null;
    if (part === lastPart) return;
    lastPart = part;
    var form = document.querySelector(".panel-search");
    var box = form && form.querySelector("input[name=q]");
    if (box && !box.value.trim()) htmx.trigger(form, "part-changed");
  }
  // 参考原文 follows the cursor: the part of the source the current item stands for opens.
  var referenceKeys = (function () {
    var el = document.getElementById("reference-keys");
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  })();
  function referenceKey(row) {
    for (var li = row.closest("li.item"); li; li = li.parentNode.closest("li.item")) {
      var key = referenceKeys[li.getAttribute("data-id")];
      if (key) return key;
    }
    var top = row.closest("#document ol.root > li");
    var firstPart = document.querySelector("#document ol.root > li.numbered");
    if (top && top.classList.contains("numbered")) return null; // a part added here
    if (!top || !firstPart) return "opening";
    return top.compareDocumentPosition(firstPart) & Node.DOCUMENT_POSITION_FOLLOWING ? "opening" : "closing";
  }
  function showReference(row) {
    if (!referenceKeys) return;
    var key = referenceKey(row);
    if (!key) return;
    var group = document.querySelector('#reference details[data-ref="' + key + '"]');
    if (!group || group.classList.contains("current")) return;
    document.querySelectorAll("#reference details.current").forEach(function (d) { d.classList.remove("current"); });
    group.classList.add("current");
    group.open = true;
  }
  editor.addEventListener("focusin", function (event) {
    var row = rowOf(event.target);
    if (row) activate(row);
  });
  // A click on a number goes to the heading after it, on a stop to the body after it.
  editor.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("#document .num, #document .stop");
    if (!mark) return;
    var row = rowOf(mark);
    var next = mark.classList.contains("num") ? headingPart(row) || bodyParts(row)[0] : bodyParts(row)[0];
    if (next) placeCaret(next, 0);
  });

  // --- what is not saved yet -----------------------------------------------------------

  var dirty = {}; // item id → { seq, base }: text typed since `base` (the version it was shown at)
  var conflicts = {}; // item id → version of the other window's text
  var counter = 0;
  var renderedVersion = currentVersion(); // the version the outline on screen shows
  var saveTimer = null;
  var retryDelay = 0;
  var retryTimer = null;
  var refused = {}; // item id → why the server would not take its text (until it is edited)
  var signedOut = false; // the login expired: saving resumes once a save gets through again

  function store(id, data) {
    try {
      data.at = Date.now();
      localStorage.setItem(STORE + id, JSON.stringify(data));
    } catch (e) { /* storage full or disabled: the page and the requests still hold the text */ }
  }
  function unstore(id) { try { localStorage.removeItem(STORE + id); } catch (e) { /* see store */ } }

  function markDirty(row) {
    var id = idOf(row);
    var entry = dirty[id] || (dirty[id] = { seq: 0, base: renderedVersion });
    entry.seq = ++counter;
    store(id, readItem(row));
    delete refused[id];
    setState("dirty");
    if (!signedOut) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveAll, 1000);
    }
  }
  function hasUnsaved() {
    for (var id in dirty) if (Object.prototype.hasOwnProperty.call(dirty, id)) return true;
    return false;
  }
  function pendingEdits() {
    var edits = [];
    Object.keys(dirty).forEach(function (id) {
      var row = itemRow(id);
      if (!row || conflicts[id]) return;
      var data = readItem(row);
      edits.push({ id: Number(id), heading: data.heading, body: data.body, base: Number(dirty[id].base), seq: dirty[id].seq });
    });
    return edits;
  }
  // The server has this text of these items (at `version`): forget what has not changed since.
  function settled(edits, version) {
    edits.forEach(function (edit) {
      var entry = dirty[edit.id];
      if (!entry) return;
      entry.base = version;
      if (entry.seq === edit.seq) {
        delete dirty[edit.id];
        unstore(edit.id);
      }
    });
  }

  var STATE_TEXT = {
    dirty: "有未保存的修改",
    saving: "正在保存…",
    failed: "保存失败，正在重试",
    stopped: "未保存",
    conflict: "此段有冲突，未保存",
  };
  function clock() { return new Date().toLocaleTimeString("zh-CN", { hour12: false }); }
  function setState(state, time) {
    var el = document.getElementById("save-state");
    if (!el) return;
    el.className = "save-state state-" + state;
    el.textContent = state === "saved" ? "已保存 " + time : STATE_TEXT[state] || "";
    el.title = "";
  }

  // --- one request at a time ---------------------------------------------------------

  var queue = Promise.resolve();
  var queued = 0;
  function enqueue(task) {
    queued++;
    queue = queue.then(task).catch(function () { /* each task reports its own failure */ })
      .then(function () { queued--; });
    return queue;
  }

  function saveAll() {
    clearTimeout(saveTimer);
    Object.keys(dirty).forEach(function (id) {
      if (dirty[id].queued || conflicts[id] || refused[id]) return;
      dirty[id].queued = true;
      enqueue(function () { return saveItem(id); });
    });
  }

  function saveItem(id, force) {
    var entry = dirty[id];
    if (entry) entry.queued = false;
    var row = itemRow(id);
    if (!entry || !row) return Promise.resolve();
    var data = readItem(row);
    var seq = entry.seq;
    var form = new FormData();
    form.append("version", force ? force : entry.base);
    if (force) form.append("force", "1");
    if (data.heading !== null) form.append("heading", data.heading);
    form.append("body", data.body);
    setState("saving");
    return fetch(saveUrl.replace("/0/save/", "/" + id + "/save/"), {
      method: "POST",
      body: form,
      credentials: "same-origin",
      // HX-Request: an expired login answers 401, not the login page.
      headers: { "X-CSRFToken": csrf(), "HX-Request": "true" },
    }).then(function (response) {
      var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
      return response.text().then(function (text) {
        var json = null;
        if (!plain) { try { json = JSON.parse(text); } catch (e) { json = null; } }
        return { status: response.status, json: json, said: plain ? text.trim() : "" };
      }, function () { return { status: response.status, json: null, said: "" }; });
    }).then(function (answer) {
      var json = answer.json || {};
      if (answer.said && (answer.status === 403 || answer.status === 404)) {
        // The draft itself refused (no longer shared, or the role no longer writes): saving
        // again cannot help. Nothing is dropped: the text stays on the page and in this
        // browser's copy.
        flash(answer.said + "您输入的文字没有保存到服务器，仍在页面上，请先复制保存。", true);
        setState("stopped");
        return;
      }
      if (answer.status === 200 && answer.json) {
        retryDelay = 0;
        signedOut = false;
        versionInput().value = json.version;
        replaceHtml("statusbar", json.statusbar);
        replaceHtml("history-buttons", json.history);
        settled([{ id: id, seq: seq }], json.version);
        delete conflicts[id];
        var box = row.querySelector(".conflict");
        if (box) box.remove();
        setState(hasUnsaved() ? "dirty" : "saved", clock());
        hintsDue[id] = json.hints;
        if (!row.contains(document.activeElement)) loadHints(id);
        if (json.refresh) return refresh();
        renderedVersion = json.version;
        return;
      }
      if (answer.status === 409 && json.conflict) { showConflict(row, json); setState("conflict"); return; }
      if (answer.status === 404) {
        delete dirty[id];
        flash("这一段已被删除（可能在其他窗口）。您的文字保存在浏览器中，刷新页面后可以恢复为新的段落。", true);
        setState("stopped");
        return;
      }
      if (answer.status === 422 && json.error) {
        refused[id] = json.error;
        flash(json.error + "（文字仍在页面上，修改后会再次保存）", true);
        setState("stopped");
        return;
      }
      if (answer.status === 401 || answer.status === 403) {
        signedOut = true;
        flash((answer.status === 401 ? "登录已过期，" : "页面已过期，") +
          "文字没有保存到服务器，但已保存在本浏览器中：请在新标签页重新登录，本页会自动继续保存；也可以刷新此页后恢复。", true);
        setState("stopped");
        clearTimeout(retryTimer);
        retryTimer = setTimeout(saveAll, 15000); // in case the drafter has signed in again
        return;
      }
      retry();
    }, function () { retry(); });
  }

  function retry() {
    setState("failed");
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 1000, 15000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(saveAll, retryDelay);
  }

  function replaceHtml(id, html) {
    var old = document.getElementById(id);
    if (!old || !html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    if (!fresh) return;
    old.replaceWith(fresh);
    if (window.htmx) htmx.process(fresh);
  }

  // The outline as the server has it now, around the text still being typed.
  function refresh() {
    return htmx.ajax("GET", documentUrl, { target: "#document", swap: "outerHTML", source: "#document" });
  }

  // --- conflicts ------------------------------------------------------------------------

  function showConflict(row, json) {
    var id = idOf(row);
    conflicts[id] = json.version;
    var box = row.querySelector(".conflict");
    if (!box) {
      box = document.createElement("div");
      box.className = "conflict";
      row.appendChild(box);
    }
    var theirs = (json.conflict.heading ? json.conflict.heading + "\n" : "") + json.conflict.body;
    box.innerHTML =
      '<p role="alert">' + escapeHtml(json.error) + "另一窗口保存的是：</p>" +
      '<blockquote class="theirs">' + escapeHtml(theirs).replace(/\n/g, "<br>") + "</blockquote>" +
      '<div class="conflict-actions">' +
      '<button type="button" class="primary" data-conflict="force">仍然保存我的修改</button>' +
      '<button type="button" data-conflict="copy">复制我的文字</button>' +
      '<button type="button" data-conflict="theirs">改用另一窗口的内容</button></div>';
    box.setAttribute("data-heading", json.conflict.heading || "");
    box.setAttribute("data-body", json.conflict.body || "");
  }

  editor.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-conflict]");
    if (!button) return;
    var row = rowOf(button);
    var id = idOf(row);
    var box = row.querySelector(".conflict");
    var mine = readItem(row);
    var mineText = (mine.heading ? mine.heading + "\n" : "") + mine.body;
    var what = button.getAttribute("data-conflict");
    if (what === "force") {
      var version = conflicts[id];
      delete conflicts[id];
      enqueue(function () { return saveItem(id, version); });
    } else if (what === "copy") {
      copyText(mineText);
      button.textContent = "已复制";
    } else if (what === "theirs") {
      if (!window.confirm("改用另一窗口的内容后，您在此段输入的文字会被替换（已先复制到剪贴板）。确定吗？")) return;
      copyText(mineText);
      delete conflicts[id];
      delete dirty[id];
      unstore(id);
      box.remove();
      enqueue(refresh);
    }
  });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text); return; }
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { area.remove(); }
  }

  // --- messages -------------------------------------------------------------------------

  var flashTimer = null;
  function flash(text, error) {
    var box = document.getElementById("flash");
    var p = document.createElement("p");
    p.className = error ? "error" : "notice";
    p.setAttribute("role", error ? "alert" : "status");
    p.textContent = text;
    box.replaceChildren(p);
    dismissLater();
  }
  // Messages go away by themselves (errors stay longer) or on a click.
  function dismissLater() {
    clearTimeout(flashTimer);
    var box = document.getElementById("flash");
    if (!box || !box.firstElementChild || box.querySelector(".recovery")) return;
    var error = box.querySelector(".error");
    flashTimer = setTimeout(function () {
      var now = document.getElementById("flash");
      if (now && !now.querySelector(".recovery")) now.replaceChildren();
    }, error ? 15000 : 5000);
  }
  document.addEventListener("click", function (event) {
    var message = event.target.closest && event.target.closest("#flash p");
    if (message && !message.closest(".recovery")) message.remove();
  });

  // --- typing ---------------------------------------------------------------------------

  function makeEditable(el) {
    try { el.contentEditable = "plaintext-only"; } catch (e) { el.contentEditable = "true"; }
    if (el.contentEditable !== "plaintext-only") el.contentEditable = "true";
    el.spellcheck = false;
  }
  function setup(root) {
    var fields = (root || document).querySelectorAll(EDITABLE);
    for (var i = 0; i < fields.length; i++) makeEditable(fields[i]);
  }

  editor.addEventListener("input", function (event) {
    var t0 = performance.now();
    var el = fieldOf(event.target);
    if (!el) return;
    if (event.isComposing) return; // Chinese input: the text counts once the word is chosen
    afterTyping(el);
    timedHandler("input", t0);
  });
  editor.addEventListener("compositionend", function (event) {
    var el = fieldOf(event.target);
    if (el) afterTyping(el);
  });
  function afterTyping(el) {
    if (el.textContent.indexOf("}}") >= 0) chipify(el);
    markEmpty(el);
    if (el.getAttribute("data-field") === "heading") showStop(el);
    markDirty(rowOf(el));
  }
  // A run-in heading ends in one stop before its body (speechdraft.text.outline.heading_and_stop).
  function showStop(heading) {
    var stop = heading.nextElementSibling;
    if (!stop || !stop.classList.contains("stop")) return;
    var text = heading.textContent.replace(/[。．.，,；;：:、 \u3000]+$/, "");
    stop.textContent = !text || /[！？!?]$/.test(text) ? "" : "。";
  }
  // Braces typed or pasted become a chip (a slot is never left as text on the page).
  function chipify(el) {
    var text = textOf(el);
    SLOT.lastIndex = 0;
    if (!SLOT.test(text)) return;
    var offset = caretOffset(el);
    setText(el, text);
    placeCaret(el, Math.min(offset, el.textContent.length));
  }

  // Leaving an item saves it, and shows what 审稿 has to say about it.
  editor.addEventListener("focusout", function (event) {
    var el = fieldOf(event.target);
    if (!el) return;
    var row = rowOf(el);
    if (row.contains(event.relatedTarget) || event.relatedTarget === catcher) return;
    if (dirty[idOf(row)]) saveAll();
    else loadHints(idOf(row));
  });
  var hintsDue = {}; // item id → its review hints' URL, once saved
  function loadHints(id) {
    var url = hintsDue[id];
    var row = itemRow(id);
    if (!url || !row) return;
    delete hintsDue[id];
    var box = row.querySelector(".item-hints");
    if (!box) {
      box = document.createElement("div");
      box.className = "item-hints";
      box.id = "hints-" + id;
      row.appendChild(box);
    }
    htmx.ajax("GET", url, { target: "#hints-" + id, swap: "outerHTML", source: box });
  }

  function insertAtCursor(el, node) {
    var range = selectionIn(el);
    if (!range) { placeCaret(el, "end"); range = selectionIn(el); }
    range.deleteContents();
    range.insertNode(node);
    range.setStartAfter(node);
    range.collapse(true);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // Enter: a new paragraph in the body; at the end of a heading, on to the body.
  function enterKey(el, row) {
    var range = selectionIn(el);
    if (!range) return;
    range.deleteContents();
    var tail = document.createRange();
    tail.setStart(range.startContainer, range.startOffset);
    tail.setEnd(el, el.childNodes.length);
    var rest = tail.extractContents();
    var target;
    if (el.getAttribute("data-field") === "heading") {
      target = bodyParts(row)[0] || addBodyAfter(row, el);
      target.insertBefore(rest, target.firstChild);
    } else {
      target = addBodyAfter(row, el);
      target.appendChild(rest);
    }
    markEmpty(el);
    markEmpty(target);
    placeCaret(target, 0);
    markDirty(row);
  }

  // Backspace at the start: join with the paragraph before; an empty paragraph goes away.
  function backspaceKey(el, row) {
    var parts = Array.prototype.slice.call(bodyParts(row));
    var index = parts.indexOf(el);
    var heading = headingPart(row);
    if (index > 0 || (index === 0 && heading)) {
      var prev = index > 0 ? parts[index - 1] : heading;
      var offset = prev.textContent.length;
      var keepLine = el.classList.contains("ed-runin");
      while (el.firstChild) prev.appendChild(el.firstChild);
      if (!keepLine) lineOf(el).remove();
      markEmpty(prev);
      markEmpty(el);
      placeCaret(prev, offset);
      markDirty(row);
      return true;
    }
    var data = readItem(row);
    if (index === 0 && !heading && !data.body && parts.length === 1) {
      removeEmptyItem(row);
      return true;
    }
    return false;
  }
  function deleteKey(el, row) {
    var parts = Array.prototype.slice.call(bodyParts(row));
    var heading = headingPart(row);
    var next = el === heading ? parts[0] : parts[parts.indexOf(el) + 1];
    if (!next) return false;
    var offset = el.textContent.length;
    while (next.firstChild) el.appendChild(next.firstChild);
    if (!next.classList.contains("ed-runin")) lineOf(next).remove();
    markEmpty(el);
    markEmpty(next);
    placeCaret(el, offset);
    markDirty(row);
    return true;
  }

  function removeEmptyItem(row) {
    var fields = allFields();
    var mine = row.querySelector(".item-text [data-field]");
    var index = fields.indexOf(mine);
    var before = null;
    for (var i = index - 1; i >= 0; i--) if (!row.contains(fields[i])) { before = fields[i]; break; }
    delete dirty[idOf(row)];
    unstore(idOf(row));
    if (before) nextCursor = cursorFor(before, "end");
    // An empty item goes without the 确定删除 question: there is nothing in it to lose.
    var url = itemUrl.replace("/0/", "/" + idOf(row) + "/") + "delete/";
    structural(function () { return post(url, { source: row, target: "#document", swap: "outerHTML" }); });
  }
  function cursorFor(el, offset) {
    var row = rowOf(el);
    var fields = Array.prototype.slice.call(row.querySelectorAll(".item-text [data-field]"));
    return { id: idOf(row), index: fields.indexOf(el), offset: offset === "end" ? el.textContent.length : offset };
  }

  function moveBetweenParts(el, step) {
    var fields = allFields();
    var next = fields[fields.indexOf(el) + step];
    if (!next) return false;
    placeCaret(next, step < 0 ? "end" : 0);
    return true;
  }

  // 上移 / 下移 / 降级 / 升级 / 删除 on an item, from the bar or a shortcut. One that cannot
  // apply where the item stands says why and sends nothing.
  function rowAction(row, action) {
    var blocked = (row.getAttribute("data-blocked") || "").split(" ");
    if (blocked.indexOf(action) >= 0) {
      var button = bar && bar.querySelector('[data-act="' + action + '"]');
      flash((button ? button.getAttribute("data-reason") : "这一步不能做") + "。", true);
      return;
    }
    if (action === "delete") {
      var below = row.parentNode.querySelector(":scope > ol > li") ? "及其下级内容" : "";
      if (!window.confirm("确定删除这一段" + below + "？（可用“撤销”恢复）")) return;
    }
    var url = itemUrl.replace("/0/", "/" + idOf(row) + "/") + action + "/";
    structural(function () { return post(url, { source: row, target: "#document", swap: "outerHTML" }); });
  }
  // --- typing ahead of a structure action ----------------------------------------------
  //
  // A structure action (添加要点, 上移, 撤销…) puts the cursor somewhere new once the server's
  // outline is on the page; a drafter goes on typing before that. Keys pressed meanwhile go
  // into a hidden field (which also hosts the input method) and, once the action has put the
  // cursor in place, into the text there: never into the item the cursor is about to leave.
  // With several actions queued, what was typed after each goes where that one put the cursor.
  var catcher = document.createElement("textarea");
  catcher.id = "type-ahead";
  catcher.className = "type-ahead";
  catcher.setAttribute("aria-label", "正在处理，输入的文字稍后放到光标处");
  catcher.setAttribute("tabindex", "-1");
  catcher.spellcheck = false;
  editor.appendChild(catcher);
  var holds = []; // pending structure actions that hold the typing: { from, cursor, running }
  var caught = 0; // characters already taken out of the catcher
  function inOutline(node) { return node === catcher || !!fieldOf(node) || !!rowOf(node); }
  function catchTyping() {
    var range = window.getSelection().rangeCount ? window.getSelection().getRangeAt(0) : null;
    var box = range && range.getClientRects()[0];
    catcher.style.left = Math.max(0, box ? box.left : 0) + "px";
    catcher.style.top = Math.max(0, box ? box.top : 0) + "px";
    if (document.activeElement !== catcher) catcher.focus({ preventScroll: true });
  }
  function structural(task) {
    var hold = null;
    if (inOutline(document.activeElement)) {
      hold = { from: caught + catcher.value.length, cursor: document.activeElement === catcher ? null : cursorNow() };
      holds.push(hold);
      if (document.activeElement !== catcher) catchTyping();
    }
    var done = enqueue(function () {
      if (hold) hold.running = true;
      return task(hold);
    });
    if (hold) done.then(function () { land(hold); });
    return done;
  }
  // The action is done (or failed): what was typed for it goes in at the cursor.
  function land(hold) {
    var index = holds.indexOf(hold);
    if (index < 0) return;
    holds.splice(index, 1);
    var next = holds[0];
    var value = catcher.value;
    var n = next ? Math.max(0, Math.min(next.from - caught, value.length)) : value.length;
    var text = value.slice(0, n);
    catcher.value = value.slice(n);
    caught += n;
    if (!fieldOf(document.activeElement)) {
      if (!cursorRestore(hold.cursor) || !fieldOf(document.activeElement)) {
        var fields = text ? allFields() : [];
        if (fields.length) placeCaret(fields[fields.length - 1], "end");
      }
    }
    var el = fieldOf(document.activeElement);
    if (text && !el) { catcher.value = text + catcher.value; caught -= n; } // kept for the next place
    else if (text) typeText(el, text);
    if (next) {
      if (next.cursor === null) next.cursor = cursorNow();
      catchTyping();
    } else if (!catcher.value && document.activeElement === catcher && hold.cursor) {
      cursorRestore(hold.cursor);
    }
  }
  // Text typed ahead, replayed as it was typed: a line break as Enter (each line a
  // paragraph), ↑/↓ as the arrow keys (within the text, or on to the part before or after).
  var LINE_UP = "\uE000";
  var LINE_DOWN = "\uE001";
  function typeText(el, text) {
    var pieces = text.split(/([\n\uE000\uE001])/);
    for (var i = 0; i < pieces.length; i++) {
      var piece = pieces[i];
      if (piece === "\n") enterKey(el, rowOf(el));
      else if (piece === LINE_UP || piece === LINE_DOWN) lineKey(el, piece === LINE_UP ? -1 : 1);
      else if (piece) {
        insertAtCursor(el, document.createTextNode(piece));
        afterTyping(el);
      }
      el = fieldOf(document.activeElement) || el;
    }
  }
  function lineKey(el, step) {
    placeCaret(el, caretOffset(el)); // inside a text node: a caret between nodes has no box to measure
    if (onEdgeLine(el, step) && moveBetweenParts(el, step)) return;
    window.getSelection().modify("move", step < 0 ? "backward" : "forward", "line");
  }

  var itemUrl = editor.getAttribute("data-item-url"); // …/items/0/
  var bar = document.getElementById("item-bar");
  // The bar goes onto the current item, its buttons disabled where they cannot apply.
  function placeBar(row) {
    if (!bar) return;
    if (!row) { bar.hidden = true; return; }
    var blocked = (row.getAttribute("data-blocked") || "").split(" ");
    bar.querySelectorAll("[data-act]").forEach(function (button) {
      var no = blocked.indexOf(button.getAttribute("data-act")) >= 0;
      button.disabled = no;
      button.title = no ? button.getAttribute("data-reason") : button.getAttribute("data-title");
    });
    if (bar.parentNode !== row) row.appendChild(bar);
    bar.hidden = false;
  }
  if (bar) bar.addEventListener("click", function (event) {
    var button = event.target.closest("[data-act]");
    var row = rowOf(bar);
    if (button && row) rowAction(row, button.getAttribute("data-act"));
  });
  function submitToolbar(selector) {
    var form = document.querySelector(selector);
    if (!form) return;
    var button = form.querySelector("button");
    if (button.disabled) { flash(button.title + "。", true); return; }
    form.requestSubmit();
  }
  function typingInForm(target) {
    return target.matches && target.matches("input, textarea, select, [contenteditable]:not(#document [data-field])");
  }

  document.addEventListener("keydown", function (event) {
    var t0 = performance.now();
    var typing = !!fieldOf(event.target);
    handleKey(event);
    if (typing) timedHandler("keydown", t0);
  });

  function handleKey(event) {
    if (event.isComposing || event.keyCode === 229) return; // the input method has the key
    var key = event.key;
    var mod = event.ctrlKey || event.metaKey;
    var target = event.target;
    var el = fieldOf(target);
    var row = rowOf(target);
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return;

    if (mod && event.altKey && /^Digit[120]$/.test(event.code)) {
      event.preventDefault();
      var kind = { Digit1: "part", Digit2: "point", Digit0: "paragraph" }[event.code];
      submitToolbar('.toolbar form[data-insert="' + kind + '"]');
      return;
    }
    if (mod && !event.altKey && (key === "z" || key === "Z" || key === "y" || key === "Y")) {
      if (typingInForm(target)) return; // a field of a form keeps its own undo
      event.preventDefault();
      var redo = key === "y" || key === "Y" || event.shiftKey;
      submitToolbar('#history-buttons form[data-history="' + (redo ? "redo" : "undo") + '"]');
      return;
    }
    // Formatting has no place in a speech's text: Ctrl+B/I/U do nothing.
    if (mod && !event.altKey && /^[biu]$/i.test(key) && el) { event.preventDefault(); return; }
    if (key === "?" && !el && !typingInForm(target)) {
      event.preventDefault();
      openHelp();
      return;
    }
    if (target === catcher && !mod && !event.altKey && !event.shiftKey &&
        (key === "ArrowUp" || key === "ArrowDown")) {
      // ↑/↓ while an action is on its way: kept in order with the typing, done once it lands.
      event.preventDefault();
      catcher.setRangeText(key === "ArrowUp" ? LINE_UP : LINE_DOWN, catcher.selectionStart, catcher.selectionEnd, "end");
      return;
    }
    if (!row) return;
    if (event.altKey && !mod && (key === "ArrowUp" || key === "ArrowDown")) {
      event.preventDefault();
      rowAction(row, key === "ArrowUp" ? "up" : "down");
      return;
    }
    if (mod && key === "Enter") {
      event.preventDefault();
      saveAll();
      return;
    }
    if (!el) {
      if (target !== row) return;
      if (key === "Enter") {
        event.preventDefault();
        var first = row.querySelector(".item-text [data-field]");
        if (first) placeCaret(first, "end");
      } else if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        var rows = Array.prototype.slice.call(document.querySelectorAll("#document .item-row"));
        var other = rows[rows.indexOf(row) + (key === "ArrowDown" ? 1 : -1)];
        if (other) other.focus();
      } else if (key === "Tab" && !mod && !event.altKey) {
        event.preventDefault();
        rowAction(row, event.shiftKey ? "outdent" : "indent");
      }
      return;
    }
    if (key === "Escape") {
      event.preventDefault();
      if (dirty[idOf(row)]) saveAll();
      row.focus();
      return;
    }
    var fields = row.querySelectorAll(".item-text [data-field]");
    if (key === "Tab" && !mod && !event.altKey && el === fields[0] && atStart(el)) {
      event.preventDefault();
      rowAction(row, event.shiftKey ? "outdent" : "indent");
      return;
    }
    if (key === "Enter" && !mod && !event.altKey) {
      event.preventDefault();
      enterKey(el, row);
      return;
    }
    if (key === "Backspace" && !mod && atStart(el)) {
      if (backspaceKey(el, row)) event.preventDefault();
      else event.preventDefault(); // never join two items by accident
      return;
    }
    if (key === "Delete" && !mod && atEnd(el)) {
      event.preventDefault();
      deleteKey(el, row);
      return;
    }
    if ((key === "ArrowUp" && onEdgeLine(el, -1)) || (key === "ArrowDown" && onEdgeLine(el, 1))) {
      if (moveBetweenParts(el, key === "ArrowUp" ? -1 : 1)) event.preventDefault();
    }
  }

  function openHelp() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) {
      helpReturn = document.activeElement;
      dialog.showModal();
    }
  }
  var helpReturn = null;
  var helpButton = document.getElementById("shortcuts-button");
  if (helpButton) helpButton.addEventListener("click", openHelp);
  var helpDialog = document.getElementById("shortcuts");
  if (helpDialog) helpDialog.addEventListener("close", function () {
    if (helpReturn && document.body.contains(helpReturn)) helpReturn.focus();
  });

  // --- the cursor's last place (for phrases and slots inserted from the side) -------------

  var lastField = null;
  var lastRange = null;
  var lastPlace = null; // { row id, field, caret offset }: the field again after a re-render
  // A caret inside a blank (a chip, which takes no typing) goes right after it: a click on a
  // filled blank and then typing would otherwise type into nothing.
  function caretOutOfChip(sel) {
    if (!sel.rangeCount || !sel.isCollapsed) return false;
    var node = sel.anchorNode;
    var el = node && (node.nodeType === 1 ? node : node.parentNode);
    var chip = el && el.closest ? el.closest("[data-slot]") : null;
    if (!chip || !fieldOf(chip) || chip === fieldOf(chip)) return false;
    var range = document.createRange();
    range.setStartAfter(chip);
    range.collapse(true);
    sel.removeAllRanges();
    sel.addRange(range);
    return true;
  }
  // At once on the click and before any key (selectionchange alone comes too late for the
  // first characters typed), and on selectionchange for the arrow keys and the rest.
  ["mouseup", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { caretOutOfChip(window.getSelection()); }, true);
  });
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel.rangeCount) return;
    if (caretOutOfChip(sel)) return; // selectionchange comes again, from the new place
    var el = fieldOf(sel.anchorNode && (sel.anchorNode.nodeType === 1 ? sel.anchorNode : sel.anchorNode.parentNode));
    if (el) {
      lastField = el;
      lastRange = sel.getRangeAt(0).cloneRange();
      var row = el.closest("[id^=item-]");
      lastPlace = row ? { row: row.id, field: el.getAttribute("data-field"), offset: caretOffset(el) } : null;
    }
  });
  // Also from focus and typing: selectionchange comes late on a busy page.
  ["focusin", "input"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var el = fieldOf(event.target);
      if (!el) return;
      lastField = el;
      var range = selectionIn(el);
      if (range) lastRange = range.cloneRange();
      var row = el.closest("[id^=item-]");
      lastPlace = row ? { row: row.id, field: el.getAttribute("data-field"), offset: caretOffset(el) } : null;
    });
  });
  function restoreLast() {
    if (lastField && !document.body.contains(lastField) && lastPlace) {
      // The outline was rendered again (a save, another tab's change): the same field, anew.
      var row = document.getElementById(lastPlace.row);
      var again = row && row.querySelector('[data-field="' + lastPlace.field + '"]');
      if (again) {
        placeCaret(again, Math.min(lastPlace.offset, again.textContent.length));
        return again;
      }
    }
    if (!lastField || !document.body.contains(lastField)) return null;
    lastField.focus({ preventScroll: true });
    var sel = window.getSelection();
    sel.removeAllRanges();
    if (lastRange && lastField.contains(lastRange.startContainer)) sel.addRange(lastRange);
    else placeCaret(lastField, "end");
    return lastField;
  }

  function freshName(kind) {
    var used = {};
    document.querySelectorAll("#document [data-slot]").forEach(function (chip) {
      used[chip.getAttribute("data-slot")] = true;
    });
    if (!used[kind]) return kind;
    for (var n = 1; ; n++) if (!used[kind + n]) return kind + n;
  }
  var slotMenu = document.getElementById("slot-menu");
  if (slotMenu) slotMenu.addEventListener("change", function () {
    var name = slotMenu.value;
    var blank = slotMenu.selectedOptions[0] && slotMenu.selectedOptions[0].hasAttribute("data-blank");
    slotMenu.value = "";
    if (!name) return;
    if (blank) name = freshName(name); // another 姓名 is another person: a blank of its own
    var el = restoreLast();
    if (!el) { flash("请先在正文中点一下，确定插入填空的位置。", true); return; }
    var holder = document.createElement("span");
    holder.innerHTML = chipHtml(name, slotValues());
    insertAtCursor(el, holder.firstChild);
    afterTyping(el);
  });

  // --- requests from the page's forms (htmx) ------------------------------------------

  var releasing = 0; // the request the queue lets through now
  var requestSeq = 0;
  var inflight = {}; // request number → { resolve, edits, cursor }

  document.body.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (releasing || !editor.contains(elt) || event.detail.verb === "get") return;
    // A phrase goes into the text being typed, at the cursor.
    var phrase = elt.closest && elt.closest("form.insert-phrase");
    var el = phrase && lastField ? restoreLast() : null;
    if (el) {
      event.preventDefault();
      insertAtCursor(el, document.createTextNode(phrase.getAttribute("data-text")));
      chipify(el);
      afterTyping(el);
      var body = new FormData();
      body.append("phrase", phrase.getAttribute("data-phrase"));
      fetch(phrase.getAttribute("data-used-url"), { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } });
      flash("已插入短语。");
      return;
    }
    event.preventDefault();
    var detail = event.detail;
    var task = function () { return send(function () { detail.issueRequest(false); }); };
    if (detail.target && detail.target.id === "document") structural(task);
    else enqueue(task);
  });

  // Run `issue` (which starts one htmx request) as the queue's current task.
  function send(issue) {
    return new Promise(function (resolve) {
      var seq = ++requestSeq;
      var held = holds[0] && holds[0].running ? holds[0] : null;
      inflight[seq] = { resolve: resolve, cursor: held ? held.cursor : cursorNow() };
      releasing = seq;
      var promise;
      try { promise = issue(); } finally { releasing = 0; }
      if (!inflight[seq].sent) { // not sent after all (a confirmation declined)
        delete inflight[seq];
        resolve();
        return;
      }
      if (promise && promise.then) promise.then(function () { finish(seq); }, function () { finish(seq); });
      setTimeout(function () { finish(seq); }, 60000);
    });
  }
  // A POST of the editor's own (drag, an empty item's removal), as the queue's current task.
  // The live version comes with it from #draft-version (hx-include).
  function post(url, options) {
    return send(function () { return htmx.ajax("POST", url, options); });
  }
  function finish(seq) {
    var entry = inflight[seq];
    if (!entry) return;
    delete inflight[seq];
    entry.resolve();
  }

  document.body.addEventListener("htmx:configRequest", function (event) {
    if (!releasing || !inflight[releasing]) return;
    var entry = inflight[releasing];
    entry.sent = true;
    event.detail.headers["X-Editor-Request"] = String(releasing);
    if (event.detail.verb === "get") return;
    var edits = pendingEdits();
    if (edits.length) {
      event.detail.parameters.pending = JSON.stringify(edits);
      entry.edits = edits;
      clearTimeout(saveTimer);
    }
  });

  function requestOf(detail) {
    var headers = detail.requestConfig && detail.requestConfig.headers;
    var seq = headers && headers["X-Editor-Request"];
    return seq ? { seq: seq, entry: inflight[seq] } : null;
  }

  var keep = null; // what goes back into the outline after a swap
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var request = requestOf(event.detail);
    var xhr = event.detail.xhr;
    var saved = xhr.getResponseHeader("X-Pending-Saved");
    if (saved && request && request.entry && request.entry.edits) {
      settled(request.entry.edits, saved);
      // An answer that does not bring a new outline (an export's status) still moved the
      // version on: the page's outline is that version now.
      if (Number(saved) > Number(currentVersion())) versionInput().value = saved;
      if (!hasUnsaved()) setState("saved", clock());
    }
    var target = event.detail.target;
    if (!target || target.id !== "document" || !event.detail.shouldSwap) return;
    if (xhr.getResponseHeader("HX-Reswap") === "none") return;
    if (bar) { bar.hidden = true; target.parentNode.appendChild(bar); } // not swapped away with it
    var texts = {};
    Object.keys(dirty).forEach(function (id) {
      var row = itemRow(id);
      if (row) texts[id] = readItem(row);
    });
    keep = { texts: texts, cursor: (request && request.entry && request.entry.cursor) || cursorNow() };
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "document" || !keep) return;
    var doc = event.target;
    var put = keep;
    keep = null;
    setup(doc);
    renderedVersion = currentVersion();
    Object.keys(put.texts).forEach(function (id) {
      var row = itemRow(id);
      if (!row) { orphaned = true; return; } // gone (deleted elsewhere): offered back below
      var now = readItem(row);
      if (now.body !== put.texts[id].body || now.heading !== put.texts[id].heading) writeItem(row, put.texts[id]);
      if (conflicts[id]) showConflict(row, { version: conflicts[id], error: "此段已在其他窗口修改。", conflict: { heading: "", body: "" } });
    });
    var focus = doc.getAttribute("data-focus");
    if (nextCursor && cursorRestore(nextCursor)) {
      nextCursor = null;
    } else if (focus && (!put.cursor || put.cursor.id !== focus)) {
      focusItem(focus, doc.getAttribute("data-focus-field") || "body", 0);
    } else if (put.cursor) {
      cursorRestore(put.cursor);
    }
    if (orphaned) { orphaned = false; offerRecovery(); }
    if (holds[0] && holds[0].running) land(holds[0]);
  });
  var nextCursor = null;
  var orphaned = false;
  // htmx puts an element's old attributes back until the swap settles: mark the current item
  // once it has.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id !== "document") return;
    var row = rowOf(document.activeElement);
    if (row) activate(row);
    else if (anchor.value && itemRow(anchor.value)) itemRow(anchor.value).classList.add("active");
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    dismissLater();
    var request = requestOf(event.detail);
    if (!request || !request.entry) return; // not from the queue, or seen already
    var xhr = event.detail.xhr;
    finish(request.seq);
    // Another window changed the draft: load its version, keeping what is typed here.
    if (xhr && xhr.status === 409) {
      enqueue(refresh).then(function () {
        flash("此稿已在其他窗口修改，已载入最新内容（您输入的文字仍保留）。请再操作一次。", true);
        saveAll(); // text typed over an item the other window changed shows its conflict now
      });
    }
  });

  // The meeting details form is re-sent by the server after changes: never over a field the
  // drafter is typing into, or has changed and not yet sent.
  document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || (target.id !== "details-panel" && target.id !== "numbering-panel")) return;
    var fields = target.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      var changed = f.type === "checkbox" ? f.checked !== f.defaultChecked
        : f.tagName === "SELECT" ? !f.options[f.selectedIndex] || !f.options[f.selectedIndex].defaultSelected
          : f.value !== f.defaultValue;
      if (f === document.activeElement || changed) { event.detail.shouldSwap = false; return; }
    }
  });

  // --- leaving, and coming back ---------------------------------------------------------

  window.addEventListener("beforeunload", function (event) {
    if (!hasUnsaved() && !queued) return;
    Object.keys(dirty).forEach(function (id) { var row = itemRow(id); if (row) store(id, readItem(row)); });
    event.preventDefault();
    event.returnValue = "";
  });

  function offerRecovery() {
    var found = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(STORE) === 0) found.push(key);
      }
    } catch (e) { return; }
    var lost = [];
    found.forEach(function (key) {
      var id = key.slice(STORE.length);
      var saved;
      try { saved = JSON.parse(localStorage.getItem(key)); } catch (e) { saved = null; }
      if (!saved || typeof saved.body !== "string") { unstore(id); return; }
      if (dirty[id]) return;
      var row = itemRow(id);
      if (row) {
        var now = readItem(row);
        if (now.body === saved.body && (saved.heading === null || now.heading === saved.heading)) { unstore(id); return; }
      }
      lost.push({ id: id, saved: saved, row: row });
    });
    if (!lost.length) return;
    var when = new Date(Math.max.apply(null, lost.map(function (l) { return l.saved.at || 0; })));
    var box = document.getElementById("flash");
    var wrap = document.createElement("div");
    wrap.className = "recovery";
    wrap.setAttribute("role", "alert");
    wrap.innerHTML = "<p>发现 " + lost.length + " 段未保存的内容（最后编辑于 " +
      when.toLocaleTimeString("zh-CN", { hour12: false }) + "）：</p>" +
      '<button type="button" class="primary" data-recover="restore">恢复</button> ' +
      '<button type="button" data-recover="discard">放弃</button>';
    box.replaceChildren(wrap);
    wrap.addEventListener("click", function (event) {
      var what = event.target.getAttribute && event.target.getAttribute("data-recover");
      if (!what) return;
      if (what === "discard") {
        if (!window.confirm("放弃后，这些未保存的文字将无法找回。确定放弃吗？")) return;
        lost.forEach(function (l) { unstore(l.id); });
        box.replaceChildren();
        return;
      }
      box.replaceChildren();
      lost.forEach(function (l) {
        if (l.row && document.body.contains(l.row)) {
          writeItem(l.row, l.saved);
          markDirty(l.row);
          return;
        }
        // The item is gone: its text comes back as a new paragraph.
        var text = (l.saved.heading ? l.saved.heading + "\n" : "") + l.saved.body;
        enqueue(function () {
          return post(insertUrl, {
            source: "#document", target: "#document", swap: "outerHTML",
            values: { kind: "paragraph", body: text },
          }).then(function () { unstore(l.id); });
        });
      });
      saveAll();
      flash("已恢复未保存的内容，正在保存。");
    });
  }

  // --- drag and drop ----------------------------------------------------------------------

  var LEVELS = ["", "第一级（一、）", "第二级（（一））", "第三级（1.）", "第四级（（1））"];
  function dropLabel(item) {
    var list = item.parentNode;
    var depth = 1;
    for (var node = list.parentNode; node && node.id !== "document"; node = node.parentNode) {
      if (node.matches && node.matches("li.item.numbered")) depth++;
    }
    if (item.classList.contains("numbered")) return "放在这里：" + (LEVELS[depth] || "第" + depth + "级");
    return depth === 1 ? "放在这里：开头或结尾的段落" : "放在这里：上面部分的正文";
  }
  function initSortable(doc) {
    if (!window.Sortable || !doc) return;
    var moveUrl = doc.getAttribute("data-move-url");
    doc.querySelectorAll("ol.outline").forEach(function (list) {
      Sortable.create(list, {
        group: "outline",
        handle: ".handle",
        animation: 120,
        fallbackOnBody: true,
        forceFallback: true, // pointer events rather than HTML5 drag: steadier across browsers
        onStart: function (evt) {
          doc.classList.add("dragging");
          evt.item.setAttribute("data-drop", dropLabel(evt.item));
        },
        onChange: function (evt) { evt.item.setAttribute("data-drop", dropLabel(evt.item)); },
        onEnd: function (evt) {
          doc.classList.remove("dragging");
          evt.item.removeAttribute("data-drop");
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
          var id = evt.item.getAttribute("data-id");
          var values = { parent: evt.to.getAttribute("data-parent") || "", position: evt.newIndex };
          enqueue(function () {
            return post(moveUrl.replace("/0/move/", "/" + id + "/move/"), {
              source: evt.item, target: "#document", swap: "outerHTML", values: values,
            });
          });
        },
      });
    });
  }

  htmx.onLoad(function (el) {
    if (el.id === "document") {
      initSortable(el);
      setup(el);
    }
  });
  // Sortable.js is loaded with defer after this file on first load.
  window.addEventListener("load", function () { initSortable(document.getElementById("document")); });
  // 导入修改稿: choosing the file sends it, through the queue like every form of the editor.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.closest(".import-form") || !input.files.length) return;
    input.closest("form").requestSubmit();
  });
  // Once sent, the file is let go: choosing the same file again (a new copy) sends it again.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.classList && form.classList.contains("import-form")) form.reset();
  });
  setup(document);
  dismissLater();
  offerRecovery();
  var skip = document.getElementById("skip-to-text");
  if (skip) skip.addEventListener("click", function (event) {
    event.preventDefault();
    var first = document.querySelector(EDITABLE);
    if (first) placeCaret(first, 0);
  });

  // The side column stays below the working frame.
  function placeSide() {
    var frame = document.getElementById("work-frame");
    if (frame) editor.style.setProperty("--frame-height", frame.offsetHeight + "px");
  }
  window.addEventListener("resize", placeSide);
  placeSide();
})();
