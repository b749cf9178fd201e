/**
 * The two pages the test puts in front of the browser instead of Microsoft's (Node side; the test
 * answers them with Playwright's `page.route`, so they never reach the API):
 *
 * - EXCEL_PAGE_PATH: "Excel", a page of the API's origin with a ribbon whose StoreSync tab has the
 *   manifest's "Open StoreSync" button, the grid of the simulated workbook, sheet tabs, and the
 *   task pane area where the button opens /addin/taskpane.html in an iframe, as Excel on the web
 *   does;
 * - OFFICE_JS_STANDIN, answered for Office.js' CDN URL (which taskpane.html loads first): instead of
 *   talking to Excel, it takes `Office` and `Excel` from the simulated workbook in the page around
 *   the pane.
 */

export const EXCEL_PAGE_PATH = '/e2e/excel.html';
export const SIMULATED_EXCEL_PATH = '/e2e/simulated-excel.js';

/** Width of Excel's task pane (Excel on the web: 350 px by default). */
export const TASKPANE_WIDTH = 350;

export const OFFICE_JS_STANDIN = `/* Office.js stand-in of the StoreSync end-to-end test: the simulated workbook of the page around this pane. */
(function () {
  var excel = window.parent !== window ? window.parent.storeSyncExcel : undefined;
  if (!excel) throw new Error('Office.js stand-in: open this page through the simulated Excel page (${EXCEL_PAGE_PATH}).');
  var globals = excel.attachPane(window);
  window.Office = globals.Office;
  window.Excel = globals.Excel;
})();
`;

export const EXCEL_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Stores and campaigns.xlsx - Excel (simulated)</title>
<link rel="icon" href="/addin/assets/icon-16.png">
<style>
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; font: 13px "Segoe UI", system-ui, sans-serif; color: #201f1e; background: #fff; }
  body { display: flex; flex-direction: column; }
  .titlebar { background: #217346; color: #fff; padding: 6px 12px; font-size: 12px; }
  .ribbon-tabs { background: #f3f2f1; display: flex; gap: 18px; padding: 6px 12px 0; font-size: 13px; }
  .ribbon-tabs span { padding-bottom: 4px; }
  .ribbon-tabs .current { border-bottom: 3px solid #217346; font-weight: 600; color: #217346; }
  .ribbon { background: #f3f2f1; border-bottom: 1px solid #d2d0ce; padding: 6px 12px; display: flex; align-items: center; gap: 8px; }
  .ribbon button { display: flex; flex-direction: column; align-items: center; gap: 2px; border: 1px solid transparent; background: none; padding: 4px 8px; font: inherit; font-size: 12px; cursor: pointer; }
  .ribbon button:hover, .ribbon button:focus-visible { background: #e1dfdd; border-color: #c8c6c4; }
  .ribbon .group-label { color: #605e5c; font-size: 11px; border-left: 1px solid #d2d0ce; padding-left: 8px; }
  .main { flex: 1; display: flex; min-height: 0; }
  #grid { flex: 1; overflow: hidden; min-width: 0; }
  table.sheet { border-collapse: collapse; table-layout: fixed; }
  table.sheet th, table.sheet td { border: 1px solid #e1dfdd; height: 22px; padding: 0 4px; font-size: 12px; font-weight: normal; overflow: hidden; }
  table.sheet td > div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  table.sheet td.wrap > div { white-space: normal; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; line-height: 15px; }
  table.sheet th.col, table.sheet th.row, table.sheet th.corner { background: #f3f2f1; color: #605e5c; text-align: center; }
  table.sheet th.row { width: 40px; }
  table.sheet th.corner { width: 40px; }
  table.sheet td.number { text-align: right; }
  table.sheet td.table-header { background: #4472c4; color: #fff; font-weight: 600; }
  table.sheet td.band { background: #d9e1f2; }
  table.sheet td.selected { box-shadow: inset 0 0 0 9999px rgba(33, 115, 70, 0.1); border-color: #217346; }
  #taskpane { width: ${TASKPANE_WIDTH + 2}px; display: flex; flex-direction: column; border-left: 1px solid #c8c6c4; }
  #taskpane[hidden] { display: none; }
  #taskpane header { display: flex; justify-content: space-between; align-items: center; padding: 6px 10px; font-size: 15px; font-weight: 600; }
  #taskpane header button { border: none; background: none; font-size: 16px; cursor: pointer; }
  #pane-slot { flex: 1; min-height: 0; }
  #pane-slot iframe { border: 0; width: ${TASKPANE_WIDTH}px; height: 100%; display: block; }
  #sheet-tabs { background: #f3f2f1; border-top: 1px solid #d2d0ce; display: flex; gap: 2px; padding: 0 12px; }
  #sheet-tabs button { border: none; background: none; padding: 5px 14px; font: inherit; cursor: pointer; }
  #sheet-tabs button[aria-selected="true"] { background: #fff; color: #217346; font-weight: 600; border-bottom: 2px solid #217346; }
</style>
</head>
<body>
  <div class="titlebar">Stores and campaigns.xlsx - Excel (simulated workbook of the StoreSync end-to-end test)</div>
  <nav class="ribbon-tabs" aria-label="Ribbon tabs"><span>File</span><span>Home</span><span>Insert</span><span>Data</span><span>Review</span><span>View</span><span class="current">StoreSync</span></nav>
  <div class="ribbon">
    <button id="open-storesync" type="button"><img src="/addin/assets/icon-32.png" width="32" height="32" alt="">Open StoreSync</button>
    <span class="group-label">StoreSync</span>
  </div>
  <div class="main">
    <div id="grid" role="grid" aria-label="Worksheet"></div>
    <aside id="taskpane" hidden aria-label="Task pane">
      <header>StoreSync <button id="close-pane" type="button" aria-label="Close the task pane">&#x2715;</button></header>
      <div id="pane-slot"></div>
    </aside>
  </div>
  <div id="sheet-tabs" role="tablist" aria-label="Sheets"></div>
  <script src="${SIMULATED_EXCEL_PATH}"></script>
</body>
</html>
`;
