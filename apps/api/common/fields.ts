import { ValidateIf } from 'class-validator';

/**
 * An optional body field: absent is fine, `null` is not (class-validator's IsOptional lets null through,
 * which the OpenAPI document does not allow). For a field whose null means something, IsOptional.
 */
export const OptionalField = () => ValidateIf((_: object, value: unknown) => value !== undefined);
