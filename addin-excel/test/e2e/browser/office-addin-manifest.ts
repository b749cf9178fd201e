/**
 * The one thing office-addin-mock takes from `office-addin-manifest` (a Node package of manifest
 * tools that cannot run in a browser): the `OfficeApp` names. The browser bundle of the simulated
 * workbook (../build.ts) resolves `office-addin-manifest` to this file.
 */
export enum OfficeApp {
  Excel = 'excel',
  OneNote = 'onenote',
  Outlook = 'outlook',
  PowerPoint = 'powerpoint',
  Project = 'project',
  Word = 'word',
}
