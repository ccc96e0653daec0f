/** Enum values as callers send them: proto-loader hands names for the values the .proto knows and bare
 *  numbers for the rest; JSON-minded callers may send any letter case. An unset enum takes its default,
 *  or is "required"; anything else is refused quoting the caller's own value and the allowed names
 *  (never the *_UNSPECIFIED default it would otherwise have turned into). The names come from the
 *  .proto the server serves, so a value added there needs no change here. */
import { loadSync } from '@grpc/proto-loader';
import { enumNamesOf, type EnumNames } from '../../../client-sdk/src/enum-names';
import { InvalidArgumentError } from '@hpo/core';
import { loaderOptions, PROTO_FILES } from './proto-files';

let enums: EnumNames | undefined;

/** Full enum name ("hpo.v1.ParameterSpec.Scale") → its value names without *_UNSPECIFIED, read from the
 *  served .proto by the SDK's own reader (one walk of the descriptors for both sides of the wire). */
export function enumValueNames(enumType: string): readonly string[] {
  enums ??= enumNamesOf(loadSync(PROTO_FILES, loaderOptions()));
  const names = enums.get(enumType);
  if (!names) throw new Error(`${enumType} is not in the served .proto`);
  return names;
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0 || (typeof value === 'string' && value.endsWith('_UNSPECIFIED'));
}

/** The canonical name of `value`, matched ignoring case; `fallback` when unset (required without one). */
export function enumFromWire<T extends string>(enumType: string, field: string, value: unknown, fallback?: T): T {
  const allowed = enumValueNames(enumType);
  if (isUnset(value)) {
    if (fallback !== undefined) return fallback;
    throw new InvalidArgumentError(field, `is required: one of ${allowed.join(', ')}`);
  }
  if (typeof value === 'string') {
    const match = allowed.find((name) => name.toLowerCase() === value.trim().toLowerCase());
    if (match) return match as T;
  }
  throw new InvalidArgumentError(field, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}
