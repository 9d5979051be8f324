// The /dashboard page: reads its filters from the address, asks the public GraphQL API what any
// client would ask, and draws the answers with Chart.js (loaded before this file, from this app).
"use strict";

{
  const ENDPOINT = "/graphql";
  // GraphQL's largest page: the matrix shows at most this many events and says so.
  const MATRIX_EVENTS = 100;
  // Bars past this many organisations would be too thin to read; the table lists them all.
  const CHART_ORGANIZATIONS = 30;
  // The form's fields, as the address names them.
  const FIELDS = ["year_from", "year_to", "kind", "country", "participant"];

  const QUERIES = {
    byYear: `query DashboardByYear($filter: EventFilter) {
  eventStats(groupBy: [year, kind], filter: $filter) { year kind count }
}`,
    matrix: `query DashboardMatrix($filter: EventFilter) {
  events(filter: $filter, first: ${MATRIX_EVENTS}) {
    totalCount
    nodes { slug title startDate participants { role state { code name } } }
  }
}`,
    byOrganization: `query DashboardByOrganization($filter: EventFilter) {
  eventStats(groupBy: [organization, role], filter: $filter) {
    organization { slug acronym name } role count
  }
}`,
  };

  // Fixed orders, so that a kind or a role keeps its colour whatever the filters leave.
  const KINDS = [
    "ministerial_conference", "senior_officials_meeting", "national_coordinators_meeting",
    "training", "forum", "summit", "meeting", "conference",
  ];
  // [role, abbreviation in the matrix, shade]: leading roles darkest, then the process's
  // own membership roles, then taking part.
  const ROLES = [
    ["organizer", "Org", "lead"], ["co_organizer", "Co", "lead"], ["host", "H", "lead"],
    ["convener", "Cv", "lead"], ["funder", "F", "lead"], ["supporter", "Sup", "lead"],
    ["member_state", "M", "member"], ["observer_state", "Obs", "member"],
    ["guest_state", "G", "member"], ["participant", "P", "part"], ["speaker", "Sp", "part"],
    ["presenter", "Pr", "part"], ["trainer", "T", "part"],
  ];
  const ROLE_ORDER = ROLES.map(([role]) => role);
  const ABBREVIATIONS = Object.fromEntries(ROLES.map(([role, short]) => [role, short]));
  const SHADES = Object.fromEntries(ROLES.map(([role, , shade]) => [role, shade]));
  // Okabe and Ito's colours, which colour-blind readers tell apart, then a few more.
  const COLOURS = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#999999", "#882255", "#44AA99", "#117733", "#332288",
  ];

  const words = (value) => String(value).replaceAll("_", " ");
  const byOrder = (order) => (a, b) => order.indexOf(a) - order.indexOf(b);

  // --- The GraphQL client: automatic persisted queries, the full text only when asked ---

  async function sha256(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function get(params) {
    const response = await fetch(`${ENDPOINT}?${new URLSearchParams(params)}`, {
      headers: { Accept: "application/json" },
    });
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy's error page): said below from the status.
    }
    return { status: response.status, body };
  }

  // Whether the server did not know the query by its hash: a server with persisted queries
  // says PERSISTED_QUERY_NOT_FOUND; one without them, that the request had no query.
  function queryMissing({ body }) {
    if (!body || body.data) return false;
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (errors.some((e) => e?.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) return true;
    const said = [body.type, body.title, body.detail, ...errors.map((e) => e?.message)].join(" ");
    return /persisted.?query.?not.?found|no graphql query/i.test(said);
  }

  function result({ status, body }) {
    const errors = body?.errors;
    if (Array.isArray(errors) && errors.length) {
      throw new Error(errors.map((e) => e.message).join("; "));
    }
    if (!body?.data) throw new Error(body?.detail || `the API answered ${status}`);
    return body;
  }

  // Whether the server has its persisted queries turned off (PERSISTED_QUERY_NOT_SUPPORTED).
  function hashesRefused({ body }) {
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    return errors.some((e) => e?.extensions?.code === "PERSISTED_QUERY_NOT_SUPPORTED");
  }

  // Hashes are sent until the server says it takes none; then the text, for this page's life.
  let hashing = true;

  async function graphql(query, variables) {
    const sent = { variables: JSON.stringify(variables) };
    // crypto.subtle exists only in secure contexts (HTTPS, localhost): elsewhere, the text.
    if (!hashing || !globalThis.crypto?.subtle) return result(await get({ query, ...sent }));
    const extensions = JSON.stringify({
      persistedQuery: { version: 1, sha256Hash: await sha256(query) },
    });
    const byHash = await get({ ...sent, extensions });
    if (hashesRefused(byHash)) {
      hashing = false;
      return result(await get({ query, ...sent }));
    }
    if (!queryMissing(byHash)) return result(byHash);
    return result(await get({ query, ...sent, extensions }));
  }

  // --- Filters: the address is the state ---

  const form = document.getElementById("filters");
  const status = document.getElementById("status");

  function chosen(search) {
    const params = new URLSearchParams(search);
    return Object.fromEntries(FIELDS.filter((f) => params.get(f)).map((f) => [f, params.get(f)]));
  }

  function eventFilter(filters) {
    const filter = {};
    // A year range: the events taking place in it (dates overlapping, as dateFrom/dateTo do).
    if (filters.year_from) filter.dateFrom = `${filters.year_from}-01-01`;
    if (filters.year_to) filter.dateTo = `${filters.year_to}-12-31`;
    for (const name of ["kind", "country", "participant"]) {
      if (filters[name]) filter[name] = filters[name];
    }
    return filter;
  }

  function showInForm(filters) {
    for (const name of FIELDS) form.elements[name].value = filters[name] || "";
  }

  function formAddress() {
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      const value = form.elements[name].value;
      if (value) params.set(name, value);
    }
    const query = params.toString();
    return query ? `?${query}` : "";
  }

  // --- Drawing ---

  const charts = {};

  function chart(key, config) {
    charts[key]?.destroy();
    charts[key] = new Chart(document.getElementById(`${key}-chart`), config);
  }

  function barOptions(horizontal) {
    const counts = { stacked: true, beginAtZero: true, ticks: { precision: 0 } };
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: horizontal ? { x: counts, y: { stacked: true } } : { x: { stacked: true }, y: counts },
      plugins: { legend: { position: "bottom" } },
    };
  }

  function element(tag, text, attributes = {}) {
    const made = document.createElement(tag);
    if (text !== undefined && text !== null) made.textContent = String(text);
    for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
    return made;
  }

  // A table's caption kept, its head and body replaced: `head` the column titles, `rows`
  // [row title, [[cell text, data attributes]...], row attributes].
  function fillTable(table, head, rows) {
    const caption = table.querySelector("caption");
    table.replaceChildren(...(caption ? [caption] : []));
    const headRow = element("tr");
    for (const title of head) headRow.append(element("th", title, { scope: "col" }));
    const body = element("tbody");
    for (const [title, cells, attributes] of rows) {
      const row = element("tr", null, attributes);
      row.append(title instanceof Node ? title : element("th", title, { scope: "row" }));
      for (const [text, data] of cells) row.append(element("td", text, data));
      body.append(row);
    }
    table.append(element("thead"), body);
    table.tHead.append(headRow);
    return body;
  }

  function drawByYear(rows) {
    const known = rows.filter((r) => r.year !== null);
    const first = Math.min(...known.map((r) => r.year));
    const last = Math.max(...known.map((r) => r.year));
    // Every year of the span, a year without events at zero: the axis is time.
    const years = known.length ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : [];
    const kinds = [...new Set(rows.map((r) => r.kind))].sort(byOrder(KINDS));
    const count = (year, kind) =>
      rows.find((r) => r.year === year && r.kind === kind)?.count ?? 0;
    chart("by-year", {
      type: "bar",
      data: {
        labels: years.map(String),
        datasets: kinds.map((kind) => ({
          key: kind,
          label: words(kind),
          data: years.map((year) => count(year, kind)),
          backgroundColor: COLOURS[KINDS.indexOf(kind) % COLOURS.length],
        })),
      },
      options: barOptions(false),
    });
    fillTable(
      document.getElementById("by-year-table"),
      ["Year", ...kinds.map(words), "All kinds"],
      years.map((year) => [
        String(year),
        [
          ...kinds.map((kind) => [count(year, kind), { "data-kind": kind }]),
          [kinds.reduce((sum, kind) => sum + count(year, kind), 0), { "data-total": "" }],
        ],
        { "data-year": String(year) },
      ]),
    );
    return rows.reduce((sum, r) => sum + r.count, 0);
  }

  function drawMatrix(events, extensions) {
    const states = new Map();
    for (const event of events.nodes) {
      for (const p of event.participants) if (p.state) states.set(p.state.code, p.state.name);
    }
    const columns = [...states].sort((a, b) => a[1].localeCompare(b[1]));
    const table = document.getElementById("matrix-table");
    const totals = new Map(columns.map(([code]) => [code, 0]));
    const used = new Set();
    const body = fillTable(
      table,
      ["Event", ...columns.map(([code]) => code)],
      events.nodes.map((event) => {
        const title = element("th", null, { scope: "row" });
        title.append(element("a", event.title, { href: `/events/${event.slug}` }));
        title.append(" ", element("small", event.startDate));
        const cells = columns.map(([code]) => {
          const roles = [
            ...new Set(event.participants.filter((p) => p.state?.code === code).map((p) => p.role)),
          ].sort(byOrder(ROLE_ORDER));
          roles.forEach((role) => used.add(role));
          if (roles.length) totals.set(code, totals.get(code) + 1);
          const shade = roles.length ? SHADES[roles[0]] || "part" : "none";
          return [roles, { "data-state": code, "data-roles": roles.join(" "), class: shade }];
        });
        return [title, cells, { "data-event": event.slug }];
      }),
    );
    // Roles as abbreviations for the eye, in words for a screen reader.
    for (const cell of body.querySelectorAll("td")) {
      const roles = cell.dataset.roles ? cell.dataset.roles.split(" ") : [];
      cell.replaceChildren(
        element("span", roles.map((r) => ABBREVIATIONS[r] || r).join(" "), { "aria-hidden": "true" }),
        element("span", roles.map(words).join(", "), { class: "visually-hidden" }),
      );
    }
    // State names on the column heads, and how many of these events each took part in.
    table.tHead.querySelectorAll("th:not(:first-child)").forEach((head, i) => {
      head.replaceChildren(element("abbr", columns[i][0], { title: columns[i][1] }));
    });
    const foot = element("tfoot");
    const row = element("tr");
    row.append(element("th", "Events taken part in", { scope: "row" }));
    for (const [code] of columns) row.append(element("td", totals.get(code), { "data-state": code }));
    foot.append(row);
    table.append(foot);

    const legend = document.getElementById("matrix-legend");
    legend.replaceChildren();
    for (const role of ROLE_ORDER.filter((r) => used.has(r))) {
      legend.append(element("dt", ABBREVIATIONS[role], { class: SHADES[role] }), element("dd", words(role)));
    }
    const notes = [];
    if (!events.nodes.length) notes.push("No event matches these filters.");
    else if (!columns.length) notes.push("No state is named as taking part in these events.");
    if (events.totalCount > events.nodes.length) {
      notes.push(
        `The first ${events.nodes.length} of the ${events.totalCount} matching events, by start ` +
          "date: narrow the filters to see the others.",
      );
    }
    const cut = (extensions?.truncated || []).filter((t) => t.path.includes("participants"));
    if (cut.length) {
      notes.push(
        `${cut.length} of these events name more participants than the API lists at once ` +
          `(${cut[0].bound}): their rows show the first ${cut[0].bound}.`,
      );
    }
    document.getElementById("matrix-note").textContent = notes.join(" ");
  }

  function drawByOrganization(rows) {
    const organizations = new Map();
    for (const row of rows) {
      if (!row.organization) continue; // events with no organisation among their participants
      const entry = organizations.get(row.organization.slug) || {
        ...row.organization,
        roles: {},
        total: 0,
      };
      entry.roles[row.role] = row.count;
      entry.total += row.count;
      organizations.set(row.organization.slug, entry);
    }
    const listed = [...organizations.values()].sort(
      (a, b) => b.total - a.total || a.name.localeCompare(b.name),
    );
    const roles = [...new Set(listed.flatMap((o) => Object.keys(o.roles)))].sort(byOrder(ROLE_ORDER));
    const drawn = listed.slice(0, CHART_ORGANIZATIONS);
    document.getElementById("by-organization-box").style.height = `${6 + drawn.length * 1.8}rem`;
    chart("by-organization", {
      type: "bar",
      data: {
        // Short labels leave the bars room on a phone; the tooltip gives the whole name.
        labels: drawn.map((o) => o.acronym || (o.name.length > 20 ? `${o.name.slice(0, 18)}…` : o.name)),
        keys: drawn.map((o) => o.slug),
        datasets: roles.map((role) => ({
          key: role,
          label: words(role),
          data: drawn.map((o) => o.roles[role] || 0),
          backgroundColor: COLOURS[ROLE_ORDER.indexOf(role) % COLOURS.length],
        })),
      },
      options: {
        ...barOptions(true),
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { title: (items) => drawn[items[0].dataIndex].name } },
        },
      },
    });
    const table = document.getElementById("by-organization-table");
    fillTable(
      table,
      ["Organisation", ...roles.map(words)],
      listed.map((o) => [
        o.acronym ? `${o.name} (${o.acronym})` : o.name,
        roles.map((role) => [o.roles[role] || 0, { "data-role": role }]),
        { "data-organization": o.slug },
      ]),
    );
    table.querySelector("caption").textContent =
      "Events per organisation (rows) and role (columns)" +
      (listed.length > drawn.length
        ? `: all ${listed.length}; the chart shows the ${drawn.length} with the most`
        : "");
  }

  let drawing = 0;

  async function draw(address) {
    const mine = ++drawing;
    const variables = { filter: eventFilter(chosen(address)) };
    document.body.dataset.drawn = "";
    status.textContent = "Loading the charts…";
    try {
      const [byYear, matrix, byOrganization] = await Promise.all([
        graphql(QUERIES.byYear, variables),
        graphql(QUERIES.matrix, variables),
        graphql(QUERIES.byOrganization, variables),
      ]);
      if (mine !== drawing) return; // the filters changed meanwhile: a newer drawing follows
      const total = drawByYear(byYear.data.eventStats);
      drawMatrix(matrix.data.events, matrix.extensions);
      drawByOrganization(byOrganization.data.eventStats);
      status.textContent = `${total} ${total === 1 ? "event matches" : "events match"} these filters.`;
      document.body.dataset.drawn = address || "?";
    } catch (error) {
      if (mine !== drawing) return;
      status.textContent = `The charts could not be drawn: ${error.message}`;
      document.body.dataset.drawn = "error";
    }
  }

  function apply() {
    const address = formAddress();
    if (address !== location.search) {
      history.pushState(null, "", `${location.pathname}${address}`);
    }
    draw(address);
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  window.addEventListener("popstate", () => {
    showInForm(chosen(location.search));
    draw(location.search);
  });
  showInForm(chosen(location.search));
  draw(location.search);
}
