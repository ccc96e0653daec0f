/** JSON schemas built from the study's space: every request asks for JSON matching one of these
 *  (OpenAI's response_format json_schema, node-llama-cpp's grammar), and replies are parsed against
 *  the space afterwards whatever the provider enforced. Only keywords that both OpenAI structured
 *  outputs and node-llama-cpp's grammar compiler understand are used (type, enum, properties,
 *  required, additionalProperties, items, minItems, maxItems, description). */
import type { ParameterSpec } from '@hpo/space';

export interface JsonSchema {
  type?: 'object' | 'array' | 'number' | 'integer' | 'string';
  description?: string;
  enum?: Array<string | number>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
}

/** One parameter's value: numbers for DOUBLE, integers for INTEGER, one of the values for DISCRETE and
 *  CATEGORICAL. Ranges go in the description: range keywords are not enforced by every grammar, and
 *  out-of-range values are clamped on parsing anyway. */
export function parameterValueSchema(spec: ParameterSpec): JsonSchema {
  switch (spec.type) {
    case 'DOUBLE':
      return { type: 'number', description: `${spec.min} to ${spec.max}${spec.scale === 'LOG' ? ', log scale' : ''}` };
    case 'INTEGER':
      return { type: 'integer', description: `${spec.min} to ${spec.max}` };
    case 'DISCRETE':
      return { enum: [...(spec.values ?? [])] };
    case 'CATEGORICAL':
      return { type: 'string', enum: [...(spec.categories ?? [])] };
  }
}

/** All parameters, children included (a child is optional: it exists only under its parent's value). */
function collectProperties(parameters: ParameterSpec[], out: Record<string, JsonSchema>): void {
  for (const p of parameters) {
    out[p.name] = parameterValueSchema(p);
    collectProperties((p.children ?? []).map((c) => c.parameter), out);
  }
}

/** One configuration of the space: top-level parameters required, children optional, nothing else. */
export function configurationSchema(parameters: ParameterSpec[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  collectProperties(parameters, properties);
  return { type: 'object', properties, required: parameters.map((p) => p.name), additionalProperties: false };
}

/** The reply to a warm-start or candidate-sampling prompt: {"configurations": [ ... ]}. */
export function configurationsReplySchema(parameters: ParameterSpec[], count: number): JsonSchema {
  return {
    type: 'object',
    properties: {
      configurations: { type: 'array', items: configurationSchema(parameters), minItems: 1, maxItems: count },
    },
    required: ['configurations'],
    additionalProperties: false,
  };
}

/** The reply to a surrogate prompt: one predicted objective value per queried configuration, in order. */
export function predictionsReplySchema(count: number): JsonSchema {
  return {
    type: 'object',
    properties: {
      predictions: { type: 'array', items: { type: 'number' }, minItems: count, maxItems: count },
    },
    required: ['predictions'],
    additionalProperties: false,
  };
}
