import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  validate,
  ValidationContext,
  ValidationRule,
  ValueNode,
  visit,
} from "graphql";
import type { LimitsConfig } from "./limits.config";
import { LimitCode, LimitCodes, LimitViolation } from "./rejection";

export type Variables = Record<string, unknown> | null | undefined;

/**
 * Checks a GraphQL request against the limits without running anything: tokens, introspection
 * (production), depth, aliases, directives, page sizes, input list lengths and the node count.
 * Returns the first violation, or null when the request may go on. A document that does not
 * parse for any other reason is left to the GraphQL server, which reports the syntax error.
 */
export class DocumentLimits {
  private readonly armorRules: ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: LimitsConfig,
  ) {
    const reportAs = (code: LimitCode) => ({
      propagateOnRejection: false,
      exposeLimits: true,
      onReject: [
        (context: ValidationContext | null, error: GraphQLError) =>
          context?.reportError(
            new GraphQLError(error.message.replace(/^Syntax Error: /, ""), { extensions: { code } }),
          ),
      ],
    });
    // graphql-armor's depth, alias and directive rules; its token limit is graphql-js's own
    // `maxTokens` (below), and its cost limit is replaced by the node count, which knows that a
    // connection returns `first` nodes.
    this.armorRules = new ApolloArmor({
      // Depth is the nesting of fields; a fragment spread is not a level of its own.
      maxDepth: { n: limits.maxDepth, flattenFragments: true, ...reportAs(LimitCodes.QUERY_TOO_DEEP) },
      // Aliased __typename counts too (armor exempts it by default): a thousand of them still
      // multiply the response.
      maxAliases: { n: limits.maxAliases, allowList: [], ...reportAs(LimitCodes.TOO_MANY_ALIASES) },
      maxDirectives: { n: limits.maxDirectives, ...reportAs(LimitCodes.TOO_MANY_DIRECTIVES) },
      costLimit: { enabled: false },
      maxTokens: { enabled: false },
      blockFieldSuggestion: { enabled: false },
    }).protect().validationRules;
  }

  check(query: string, variables: Variables): LimitViolation | null {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.limits.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError && /contains more th\w+ \d+ tokens/.test(error.message)) {
        return {
          code: LimitCodes.TOO_MANY_TOKENS,
          message: `the document has more than ${this.limits.maxTokens} tokens`,
          details: { limit: this.limits.maxTokens },
        };
      }
      return null;
    }
    return (
      this.introspection(document) ??
      this.armor(document) ??
      this.pageSizes(document, variables) ??
      this.inputArrays(document, variables) ??
      this.nodeCount(document, variables)
    );
  }

  private introspection(document: DocumentNode): LimitViolation | null {
    if (this.limits.mode !== "production") return null;
    let found: string | null = null;
    visit(document, {
      Field(node) {
        if (node.name.value === "__schema" || node.name.value === "__type") found = node.name.value;
      },
    });
    return found
      ? { code: LimitCodes.INTROSPECTION_DISABLED, message: `introspection (${found}) is disabled in production mode` }
      : null;
  }

  private armor(document: DocumentNode): LimitViolation | null {
    const [first] = validate(this.schema, document, this.armorRules);
    if (!first) return null;
    return { code: first.extensions.code as LimitCode, message: first.message };
  }

  private pageSizes(document: DocumentNode, variables: Variables): LimitViolation | null {
    const { min, max } = this.limits.pageSize;
    for (const operation of operationsOf(document)) {
      const value = argumentReader(operation, variables);
      let violation: LimitViolation | null = null;
      visit(document, {
        Argument(node) {
          if (violation || node.name.value !== "first") return;
          const first = value(node.value);
          if (typeof first === "number" && (first < min || first > max)) {
            violation = {
              code: LimitCodes.PAGE_SIZE_OUT_OF_RANGE,
              message: `first: ${first} is outside ${min}–${max}`,
              details: { field: "first", min, max },
            };
          }
        },
      });
      if (violation) return violation;
    }
    return null;
  }

  private inputArrays(document: DocumentNode, variables: Variables): LimitViolation | null {
    const max = this.limits.maxInputArrayItems;
    const tooLong = (length: number, where: string): LimitViolation => ({
      code: LimitCodes.INPUT_ARRAY_TOO_LONG,
      message: `${where} has ${length} items; at most ${max} are accepted`,
      details: { field: where, limit: max },
    });
    const inVariables = longestArray(variables ?? {}, "variables", max);
    if (inVariables) return tooLong(inVariables.length, inVariables.path);
    let violation: LimitViolation | null = null;
    visit(document, {
      ListValue(node) {
        if (!violation && node.values.length > max) violation = tooLong(node.values.length, "a list argument");
      },
    });
    return violation;
  }

  private nodeCount(document: DocumentNode, variables: Variables): LimitViolation | null {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    for (const operation of operationsOf(document)) {
      const root = this.rootType(operation);
      if (!root) continue;
      const counter = new NodeCounter(this.schema, fragments, argumentReader(operation, variables), this.limits);
      const nodes = counter.count(operation.selectionSet, root);
      if (nodes > this.limits.maxNodes) {
        return {
          code: LimitCodes.NODE_LIMIT_EXCEEDED,
          message: `the operation may return up to ${nodes} nodes; at most ${this.limits.maxNodes} are allowed (lower the page sizes)`,
          details: { limit: this.limits.maxNodes, found: nodes },
        };
      }
    }
    return null;
  }

  private rootType(operation: OperationDefinitionNode): GraphQLObjectType | null | undefined {
    if (operation.operation === "query") return this.schema.getQueryType();
    if (operation.operation === "mutation") return this.schema.getMutationType();
    return this.schema.getSubscriptionType();
  }
}

function operationsOf(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

/** Reads an argument value: a literal, or a variable of `operation` (its default when not sent). */
function argumentReader(operation: OperationDefinitionNode, variables: Variables) {
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const read = (node: ValueNode): unknown => {
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      if (variables && variables[name] !== undefined) return variables[name];
      const fallback = defaults.get(name);
      return fallback && fallback.kind !== Kind.VARIABLE ? read(fallback) : undefined;
    }
    return undefined;
  };
  return read;
}

/** The first array longer than `max` anywhere in a JSON value, with its path. */
function longestArray(value: unknown, path: string, max: number): { path: string; length: number } | null {
  if (Array.isArray(value)) {
    if (value.length > max) return { path, length: value.length };
    for (let i = 0; i < value.length; i++) {
      const inner = longestArray(value[i], `${path}.${i}`, max);
      if (inner) return inner;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const found = longestArray(inner, `${path}.${key}`, max);
      if (found) return found;
    }
  }
  return null;
}

function isConnection(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
}

/**
 * Counts the nodes an operation may return, as GitHub does: a connection returns `first` nodes
 * for each of its parents; a plain list of objects is assumed to hold `assumedListSize`. The count
 * is linear in the parent's multiplier, so each fragment is counted once, at multiplier 1.
 */
class NodeCounter {
  private readonly fragmentCounts = new Map<string, number>();
  private readonly counting = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly argument: (node: ValueNode) => unknown,
    private readonly limits: LimitsConfig,
  ) {}

  count(selectionSet: SelectionSetNode, parent: GraphQLNamedType): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += this.field(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (type) total += this.count(selection.selectionSet, type);
      } else {
        total += this.fragment(selection.name.value);
      }
    }
    return total;
  }

  private fragment(name: string): number {
    const known = this.fragmentCounts.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    // A fragment cycle is invalid GraphQL: the server's validation reports it, so count nothing.
    if (!fragment || this.counting.has(name)) return 0;
    const type = this.schema.getType(fragment.typeCondition.name.value);
    if (!type) return 0;
    this.counting.add(name);
    const nodes = this.count(fragment.selectionSet, type);
    this.counting.delete(name);
    this.fragmentCounts.set(name, nodes);
    return nodes;
  }

  private field(node: FieldNode, parent: GraphQLNamedType): number {
    const definition = fieldOf(parent, node.name.value);
    if (!definition) return 0;
    const type = getNamedType(definition.type);
    let size = 1;
    if (isConnection(type)) {
      size = this.pageSize(node, definition);
    } else if (isListType(getNullableType(definition.type)) && isCompositeType(type) && !isConnection(parent)) {
      size = this.limits.assumedListSize;
    }
    const own = isConnection(type) || size > 1 ? size : 0;
    const inner = node.selectionSet ? this.count(node.selectionSet, type) : 0;
    return own + size * inner;
  }

  private pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    const argument = node.arguments?.find((a) => a.name.value === "first");
    const sent = argument ? this.argument(argument.value) : undefined;
    if (typeof sent === "number") return sent;
    const fallback = definition.args.find((a) => a.name === "first")?.defaultValue;
    return typeof fallback === "number" ? fallback : this.limits.pageSize.max;
  }
}

function fieldOf(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (!isObjectType(parent) && !isInterfaceType(parent)) return undefined;
  return parent.getFields()[name];
}
