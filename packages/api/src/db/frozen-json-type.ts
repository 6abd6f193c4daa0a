/**
 * A JSON column whose frozen values (shared, never-changing objects such as a cached score's
 * snapshot) are stringified once: the text is memoised by object identity. Other values are
 * stringified on every write, as by MikroORM's own `JsonType`.
 */
import { JsonType, type Platform, type TransformContext } from '@mikro-orm/core';

const texts = new WeakMap<object, string>();

export class FrozenJsonType extends JsonType {
  override convertToDatabaseValue(
    value: unknown,
    platform: Platform,
    context?: TransformContext,
  ): string | null {
    if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) {
      return super.convertToDatabaseValue(value, platform, context);
    }
    let text = texts.get(value);
    if (text === undefined)
      texts.set(value, (text = super.convertToDatabaseValue(value, platform, context)!));
    return text;
  }
}
