// Title autocompletion for the search box: fills the <datalist>; the form works without it.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("title-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var text = input.value.trim();
    if (!text) { list.innerHTML = ""; return; }
    timer = window.setTimeout(function () {
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text))
        .then(function (response) { return response.ok ? response.json() : { titles: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          data.titles.forEach(function (title) {
            var option = document.createElement("option");
            option.value = title;
            list.appendChild(option);
          });
        })
        .catch(function () { list.innerHTML = ""; });
    }, 200);
  });
}());
