// The plan page's behaviour: a click on a node shows its change in the detail panel, the
// action checkboxes hide nodes (and the edges touching them), the search box dims the nodes
// whose address does not match. The layout is precomputed; nothing here walks the graph.
"use strict";
(() => {
  const graph = document.getElementById("graph");
  const nodes = Array.from(graph.querySelectorAll(".node"));
  const edges = Array.from(graph.querySelectorAll(".edge"));
  const detail = document.getElementById("detail");
  const title = document.getElementById("detail-title");
  const diff = document.getElementById("diff");
  const filters = Array.from(document.querySelectorAll("input.filter"));
  const search = document.getElementById("search");
  const searchCount = document.getElementById("search-count");

  // The changes' text, parsed on the first click so that opening the page does not pay for it.
  let diffs = null;
  const textOf = (address) => {
    if (diffs === null) {
      const data = document.getElementById("diffs");
      diffs = new Map(Object.entries(data ? JSON.parse(data.textContent) : {}));
    }
    return diffs.has(address) ? diffs.get(address) : "no changes";
  };

  let selected = null;
  const show = (node) => {
    const address = node.dataset.address;
    diff.textContent = textOf(address);
    title.textContent = address;
    detail.dataset.address = address;
    if (selected !== null) selected.classList.remove("selected");
    selected = node;
    node.classList.add("selected");
  };
  for (const node of nodes) {
    node.addEventListener("click", () => show(node));
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        show(node);
      }
    });
  }

  const applyFilters = () => {
    const hiddenActions = new Set(filters.filter((f) => !f.checked).map((f) => f.dataset.action));
    const hidden = new Set();
    for (const node of nodes) {
      const hide = hiddenActions.has(node.dataset.action);
      node.style.display = hide ? "none" : "";
      if (hide) hidden.add(node.dataset.address);
    }
    for (const edge of edges) {
      const hide = hidden.has(edge.dataset.from) || hidden.has(edge.dataset.to);
      edge.style.display = hide ? "none" : "";
    }
  };
  for (const filter of filters) filter.addEventListener("change", applyFilters);

  const addresses = nodes.map((node) => node.dataset.address.toLowerCase());
  const applySearch = () => {
    const text = search.value.toLowerCase();
    let matches = 0;
    nodes.forEach((node, i) => {
      const match = text === "" || addresses[i].includes(text);
      node.classList.toggle("dimmed", !match);
      if (match) matches += 1;
    });
    searchCount.textContent = String(matches);
  };
  search.addEventListener("input", applySearch);

  document.body.dataset.ready = "true";
})();
