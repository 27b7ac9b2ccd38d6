import { z } from 'zod';

/** Building blocks shared by the domain contracts. */
export const id = z.string().min(1).max(64);
export const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2563eb');
/** A moment in UTC ms, within what a JavaScript Date can hold. */
export const instant = z.number().int().min(0).max(8_640_000_000_000);
export const noArgs = z.object({}).strict();

/** One contract entry: the args a caller sends and the result it gets. */
export interface RequestSpec {
  args: z.ZodType;
  result: z.ZodType;
}
