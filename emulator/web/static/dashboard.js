// The dashboard's small helpers: copy buttons, "+ Add another", delete confirmation, journal polling.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const text = document.getElementById(button.dataset.copy).textContent;
  (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject()).then(
    () => { button.textContent = "Copied"; },
    () => { window.getSelection().selectAllChildren(document.getElementById(button.dataset.copy)); button.textContent = "Selected: press Ctrl+C"; }
  );
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("DOMContentLoaded", () => {
  const add = document.getElementById("add-another");
  if (add) add.addEventListener("click", () => {
    const rows = document.getElementById("create-rows");
    const index = rows.children.length;
    const row = rows.children[0].cloneNode(true);
    row.dataset.row = index;
    row.querySelector("legend").textContent = "Secret " + (index + 1);
    row.querySelectorAll("[id]").forEach((el) => { el.id = el.id.replace(/-0(?=-|$)/, "-" + index); });
    row.querySelectorAll("label[for]").forEach((el) => { el.htmlFor = el.htmlFor.replace(/-0(?=-|$)/, "-" + index); });
    row.querySelectorAll("input[type=checkbox]").forEach((el) => { el.name = "scope-" + index; });
    row.querySelectorAll("input:not([type=checkbox])").forEach((el) => { el.value = ""; });
    rows.appendChild(row);
    row.querySelector("input[name=name]").focus();
  });
  const journal = document.getElementById("journal");
  if (journal) {
    const refresh = () => {
      const url = new URL(window.location.href);
      url.searchParams.set("fragment", "1");
      fetch(url, { headers: { Accept: "text/html" } }).then((r) => (r.ok ? r.text() : null)).then((html) => {
        if (html !== null) journal.tBodies[0].innerHTML = html;
      }).catch(() => {});
    };
    setInterval(refresh, Number(journal.dataset.pollMs) || 2000);
  }
});
// The matrix: clicking a cell opens the provenance of that name, at that environment.
document.addEventListener("click", (event) => {
  const cell = event.target.closest("#matrix tbody td");
  if (!cell) return;
  const link = cell.parentElement.querySelector("th a");
  const header = cell.closest("table").tHead.rows[0].cells[cell.cellIndex];
  if (link && header) window.location.href = link.href + "#env-" + header.textContent.trim();
});
