// Small progressive enhancements shared by every page. No framework, no network.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }

  // A request that failed (server error, expired login, lost connection) swaps nothing, so
  // whatever the user typed stays where it is; this says what happened, in the page's
  // message area (#flash) or, where a page has none, in a banner.
  var MESSAGES = {
    401: "登录已过期，操作没有完成。您的文字仍在页面上：请先复制保存，再刷新页面重新登录。",
    403: "请求未通过安全校验（页面可能已过期），操作没有完成。请先复制您的文字，再刷新页面。",
    404: "要操作的内容不存在或已被删除，请刷新页面。",
    413: "提交的内容过大，操作没有完成。",
    429: "操作过于频繁，请稍后再试。",
  };
  var SERVER = "服务器暂时出错，操作没有完成。您的文字仍在编辑框中，请稍后再点保存。";
  var OFFLINE = "无法连接服务器，操作没有完成。您的文字仍在编辑框中，请检查网络后再点保存。";

  function showProblem(text) {
    var box = document.getElementById("flash");
    if (!box) {
      box = document.createElement("div");
      box.id = "flash";
      box.className = "flash flash-floating";
      document.body.appendChild(box);
    }
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }
  window.speechdraftProblem = showProblem; // for the page's own scripts (comments.js)

  // A request the page makes by itself (data-quiet: the top bar's 我的待办) says nothing when
  // it fails: the next thing the user does reports the trouble.
  function quiet(event) {
    var elt = event.detail && event.detail.elt;
    return !!(elt && elt.closest && elt.closest("[data-quiet]"));
  }
  document.addEventListener("htmx:responseError", function (event) {
    if (quiet(event)) return;
    var xhr = event.detail.xhr;
    var type = xhr.getResponseHeader("Content-Type") || "";
    var body = type.indexOf("text/plain") === 0 ? (xhr.responseText || "").trim() : "";
    showProblem(body || MESSAGES[xhr.status] || SERVER);
  });
  document.addEventListener("htmx:sendError", function (event) { if (!quiet(event)) showProblem(OFFLINE); });
  document.addEventListener("htmx:timeout", function (event) { if (!quiet(event)) showProblem(OFFLINE); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    copyText(button.getAttribute("data-copy")).then(function () {
      var label = button.textContent;
      button.textContent = "已复制";
      setTimeout(function () { button.textContent = label; }, 1200);
    });
  });

  // 插入到: the list of drafts narrows to the titles holding what is typed.
  var filter = document.getElementById("insert-draft-filter");
  var choice = document.getElementById("insert-draft");
  if (filter && choice) {
    document.documentElement.classList.add("js");
    filter.addEventListener("input", function () {
      var words = filter.value.trim();
      var first = null;
      Array.prototype.forEach.call(choice.options, function (option) {
        var shown = !words || option.textContent.indexOf(words) >= 0;
        option.hidden = !shown;
        if (shown && !first) first = option;
      });
      if (first && choice.selectedOptions[0] && choice.selectedOptions[0].hidden) choice.value = first.value;
      document.getElementById("insert-draft-none").hidden = !!first;
    });
  }
})();
