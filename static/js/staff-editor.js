/* Document editor: live preview through the server's Markdown pipeline, and autosave.
   Progressive enhancement only: without JavaScript the 预览 button does the same. */
(function () {
  "use strict";
  var form = document.getElementById("document-form");
  if (!form) { return; }
  var body = form.querySelector("textarea[data-preview]") ||
    form.querySelector("textarea[name=body]");
  var preview = document.getElementById("preview");
  var status = document.getElementById("autosave-status");
  var token = form.querySelector("input[name=csrf_token]");

  function post(url, data) {
    var headers = {};
    if (token) { headers["X-CSRFToken"] = token.value; }
    return fetch(url, { method: "POST", body: data, headers: headers, credentials: "same-origin" });
  }

  var timer = null;
  function refreshPreview() {
    var data = new FormData();
    data.append("body", body.value);
    post(form.dataset.previewUrl, data).then(function (response) {
      if (response.ok) { return response.text(); }
      throw new Error(response.status);
    }).then(function (html) {
      // Sanitised on the server by the same pipeline as the public pages.
      preview.innerHTML = html;
    }).catch(function () { /* keep the last preview */ });
  }
  if (body && preview) {
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, 400);
    });
  }

  var autosaveUrl = form.dataset.autosaveUrl;
  var seconds = parseInt(form.dataset.autosaveSeconds || "0", 10);
  if (!autosaveUrl || !seconds) { return; }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  setInterval(function () {
    if (!dirty) { return; }
    dirty = false;
    var data = new FormData();
    ["title", "summary", "body", "document_key", "lock_version"].forEach(function (name) {
      var field = form.elements[name];
      if (field) { data.append(name, field.value); }
    });
    post(autosaveUrl, data).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (result) {
      var text = "已自动保存 " + result.saved_at;
      if (result.others && result.others.length) {
        text += "；注意：" + result.others.join("、") + " 也在编辑此文件";
      }
      status.textContent = text;
    }).catch(function () {
      dirty = true;
      status.textContent = "自动保存失败，请手动保存";
    });
  }, seconds * 1000);
})();
