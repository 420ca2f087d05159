import { bindingKey, type Binding } from "../junos/bindings";

/**
 * A port change is destructive when a binding the port holds now would be gone after it: that
 * device loses its traffic. Adding bindings is not.
 */
export function findRemovedBindings(before: readonly Binding[], after: readonly Binding[]): Binding[] {
  const kept = new Set(after.map(bindingKey));
  return before.filter((b) => !kept.has(bindingKey(b)));
}
