import { render } from 'preact';
import { connect, desktopBridge, subscribeChanges } from './api';
import { createActions } from './actions';
import { followCodeStyles } from './code-styles';
import { App, undoOrRedo } from './components/App';
import { initialState } from './state';
import { createStore } from './store';
import { loadViewer } from './viewer-module';

/** Boots the UI: one store, one set of actions over the API, one render root. */
function main(): void {
  const store = createStore(initialState);
  followCodeStyles(store);
  // Every snapshot's document variables go into the state with it (variable-actions.ts).
  const actions = createActions(connect(), store, subscribeChanges);
  const desktop = desktopBridge();
  const isMac = (desktop?.platform ?? navigator.platform).toLowerCase().includes('mac') || desktop?.platform === 'darwin';
  desktop?.onCommand((command) => {
    if (command === 'undo' || command === 'redo') undoOrRedo(actions, command);
    else if (command === 'import-documents') actions.imports.open();
    else if (command === 'export-csv') actions.setExportDialog(true);
    else if (command === 'coder-profile') actions.setProfileDialog(true);
    else if (command === 'project-settings') actions.setProjectDialog(true);
  });
  // Asked for before the first render, so the answer is on its way while the page draws.
  void actions.start();
  // Fetched and compiled while the first answers are on their way (see viewer-module.ts).
  void loadViewer().catch(() => undefined);
  render(<App store={store} actions={actions} isMac={isMac} />, document.getElementById('root')!);
}

main();
