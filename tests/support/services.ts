import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { ApiError, type ApiHandlers } from '../../shared/api';
import type { ChangeEvent } from '../../shared/changes';
import type { DocumentFileData } from '../../main/core/files';
import { ProjectStore } from '../../main/core/store';
import { seedOf, servicesFor, tempDir } from './project';

/** A fresh project of `documents` per test, its API handlers, and every change event since it opened. */
export interface ServicesEnv {
  dir: string;
  store: ProjectStore;
  api: ApiHandlers;
  events: ChangeEvent[];
  /** Opens the project again after the test closed it (events start afresh). */
  open(): Promise<void>;
  /** Closes the project and opens it again from disk (events start afresh). */
  reopen(): Promise<void>;
}

/** Gives the enclosing tests a `ServicesEnv`, made before each test and removed after it. */
export function useServices(prefix: string, ...documents: DocumentFileData[]): ServicesEnv {
  const env = {} as ServicesEnv;
  const open = (env.open = async (): Promise<void> => {
    env.store = await ProjectStore.open(env.dir, { seed: seedOf(...documents) });
    const services = await servicesFor(env.store, env.dir);
    env.api = services.handlers;
    env.events = [];
    services.feed.subscribe((e) => env.events.push(e));
  });
  env.reopen = async () => {
    await env.store.close();
    await open();
  };
  beforeEach(async () => {
    env.dir = path.join(await tempDir(prefix), 'project');
    await open();
  });
  afterEach(async () => {
    await env.store.close();
    await fsp.rm(path.dirname(env.dir), { recursive: true, force: true });
  });
  return env;
}

/** The ApiError `work` fails with (the test fails if it succeeds or fails otherwise). */
export async function refusal(work: Promise<unknown>): Promise<ApiError> {
  const e = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}
