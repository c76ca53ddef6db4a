/** The page's only stylesheet, inlined: system fonts, nothing fetched. */
export const TIMELINE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0; padding: 24px 28px 40px; background: #fff; color: #1f2328;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 2px; }
.note { margin: 2px 0 2px; }
.scenario { margin: 0 0 12px; color: #59636e; }
.scenario strong { color: #1f2328; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 10px 0 18px; font-size: 13px; }
.legend-group { display: flex; align-items: center; gap: 10px; }
.legend-title { font-weight: 600; }
.legend ul { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 0; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: 5px; white-space: nowrap; }
.timeline { margin: 0 0 36px; }
.timeline + .timeline { border-top: 1px solid #d0d7de; padding-top: 20px; }
.timeline-svg { display: block; width: 100%; height: auto; }
.timeline-svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.timeline-svg .row-name, .timeline-svg .axis text { fill: #1f2328; }
.timeline-svg .row-name { font-size: 14px; font-weight: 600; }
.timeline-svg .row-detail, .timeline-svg .axis .axis-title { fill: #59636e; font-size: 11.5px; }
.timeline-svg .server-span text { font-weight: 600; }
.timeline-svg .state text { font-size: 11px; font-weight: 600; }
.timeline-svg .call { cursor: default; }
.timeline-svg .call:hover { filter: drop-shadow(0 0 2px #0969da); }
table.summary { border-collapse: collapse; margin: 8px 0 0 0; font-size: 13px; font-variant-numeric: tabular-nums; }
table.summary th, table.summary td { padding: 3px 12px; border-bottom: 1px solid #d8dee4; }
table.summary thead th { text-align: right; font-weight: 600; color: #59636e; border-bottom: 1px solid #8c959f; }
table.summary thead th:first-child, table.summary tbody th { text-align: left; }
table.summary td { text-align: right; }
table.summary .version { color: #59636e; font-weight: 400; }
footer { margin-top: 8px; color: #59636e; font-size: 12px; }
`;
