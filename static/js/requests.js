// Request pages (no inline scripts: the CSP forbids them). The pages work without this file:
// the review page lists the matching documents on submit; this only shows them while typing.
// (The receipt's print button is wired by site.js, which every page loads.)

const box = document.getElementById("request-suggestions");
if (box) {
  const fields = {
    title: document.getElementById("doc_title"),
    number: document.getElementById("doc_number"),
    description: document.getElementById("description"),
  };
  let timer = 0;
  let last = "";
  const ask = () => {
    const params = new URLSearchParams();
    for (const [name, field] of Object.entries(fields)) {
      if (field && field.value.trim()) params.set(name, field.value.trim());
    }
    const query = params.toString();
    if (query === last) return;
    last = query;
    if (!query) { box.replaceChildren(); return; }
    fetch(`${box.dataset.suggestUrl}?${query}`, { headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => {
        const parsed = new DOMParser().parseFromString(html, "text/html");
        box.replaceChildren(...parsed.body.childNodes);
      })
      .catch(() => {});
  };
  for (const field of Object.values(fields)) {
    if (field) field.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 400); });
  }
}
