/** Enum fields as people write them: any letter case ('log', 'Maximize', 'freeze_thaw'). Anything else is
 *  refused before sending, quoting what was written and the allowed names: protobufjs would encode an
 *  unknown name as 0, the *_UNSPECIFIED default, so `scale: 'log'` would silently become LINEAR. The
 *  allowed names are read from the loaded .proto, so a value added there needs no SDK change. */
import type { PackageDefinition } from '@grpc/proto-loader';
import { HpoClientError } from './errors';

/** Full enum name ("hpo.v1.ParameterSpec.Scale") → its value names, *_UNSPECIFIED left out. */
export type EnumNames = ReadonlyMap<string, readonly string[]>;

interface EnumDescriptor {
  name: string;
  value: Array<{ name: string }>;
}
interface MessageDescriptor {
  enumType?: EnumDescriptor[];
  nestedType?: Array<MessageDescriptor & { name: string }>;
}

export function enumNamesOf(definition: PackageDefinition): EnumNames {
  const names = new Map<string, string[]>();
  const add = (fullName: string, e: EnumDescriptor): void => {
    names.set(fullName, e.value.map((v) => v.name).filter((n) => !n.endsWith('_UNSPECIFIED')));
  };
  const walk = (prefix: string, message: MessageDescriptor): void => {
    for (const e of message.enumType ?? []) add(`${prefix}.${e.name}`, e);
    for (const nested of message.nestedType ?? []) walk(`${prefix}.${nested.name}`, nested);
  };
  for (const [fullName, entry] of Object.entries(definition)) {
    const { format, type } = entry as { format?: string; type?: unknown };
    if (format?.endsWith('EnumDescriptorProto')) add(fullName, type as EnumDescriptor);
    else if (format?.endsWith('DescriptorProto')) walk(fullName, type as MessageDescriptor);
  }
  return names;
}

/** The canonical name for `value` (matched ignoring case), undefined when unset; `field` names it in
 *  the error the way the server would ("config.parameters[0].scale"). */
export function enumName(enums: EnumNames, enumType: string, field: string, value: unknown, method: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const allowed = enums.get(enumType);
  if (!allowed) throw new Error(`${enumType} is not in the loaded .proto`);
  if (typeof value === 'string') {
    const match = allowed.find((name) => name.toLowerCase() === value.toLowerCase());
    if (match) return match;
  }
  throw new HpoClientError('INVALID_ARGUMENT', `${field}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')} (names are case-insensitive)`, method);
}
