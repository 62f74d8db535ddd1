// Loaded before Decap CMS: the CMS must not start by itself. fichegen-editor.js first registers fichegen's file
// formats, widgets and previews, then starts it (or explains why it cannot).
window.CMS_MANUAL_INIT = true;
