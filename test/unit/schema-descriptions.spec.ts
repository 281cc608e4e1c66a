import {
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from "graphql";
import { getSchema } from "../../src/api/schema";

const described = (description: string | null | undefined): boolean => (description ?? "").trim().length > 0;

/**
 * Every schema coordinate (Type, Type.field, Type.field(arg:), Enum.VALUE) that a frontend developer
 * would see without a description. Built from the live schema, not schema/schema.graphql, so a stale
 * emitted file cannot hide a missing description.
 */
function undescribedCoordinates(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!described(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!described(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name}:)`);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!described(value.description)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing.sort();
}

describe("schema descriptions", () => {
  it("describes every type, field, argument, input field and enum value", async () => {
    expect(undescribedCoordinates(await getSchema())).toEqual([]);
  });

  it("would notice a missing description", async () => {
    const schema = await getSchema();
    const feedback = schema.getType("Feedback");
    if (!isObjectType(feedback)) throw new Error("Feedback is not an object type");
    const field = feedback.getFields().id;
    const original = field.description;
    field.description = undefined;
    try {
      expect(undescribedCoordinates(schema)).toContain("Feedback.id");
    } finally {
      field.description = original;
    }
  });
});
