import { useEffect, useState } from 'preact/hooks';

/**
 * The article viewer (ProseMirror and the highlight layer) is a second module of the bundle,
 * loaded once the app has started: the documents list and the rest of the window do not wait
 * for the browser to compile two thirds of the code before their first paint. `loadViewer` is
 * called at boot, so the module is on its way while the first API answers are.
 */
export type ViewerModule = typeof import('./viewer/viewer');

let loaded: ViewerModule | null = null;
let loading: Promise<ViewerModule> | null = null;

/** Starts loading the viewer module (once); resolves with it. */
export function loadViewer(): Promise<ViewerModule> {
  loading ??= import('./viewer/viewer').then((m) => (loaded = m));
  return loading;
}

/** The viewer module once loaded (null until then); the component renders again when it arrives. */
export function useViewerModule(onError: (e: unknown) => void): ViewerModule | null {
  const [module, setModule] = useState(loaded);
  useEffect(() => {
    if (module) return;
    let live = true;
    loadViewer().then(
      (m) => live && setModule(m),
      (e: unknown) => live && onError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  return module;
}
