// A store typed with the user's own events can be handed to the kit as it is.

import type { Target } from '@hume/conformance';
import type { EventStore } from '@hume/core';
import { expectTypeOf, it } from 'vitest';

interface Opened {
  type: 'opened';
  by: string;
}

it('accepts a factory of EventStore<MyEvent> as a target', () => {
  const typed = {} as EventStore<Opened>;
  const target: Target = () => typed;
  const withHooks: Target = { create: async () => typed, dispose: (store) => store.close?.() };
  expectTypeOf(target).not.toBeNever();
  expectTypeOf(withHooks).not.toBeNever();
});
