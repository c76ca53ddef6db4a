/**
 * Errors are recognised by a brand property, not `instanceof`, so a guard still works when two
 * copies of the package are installed (a dependency brings its own), as cockatiel's guards do.
 */
export function hasBrand(value: unknown, brand: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[brand] === true
  );
}
