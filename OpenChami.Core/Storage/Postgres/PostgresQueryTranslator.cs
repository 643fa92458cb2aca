using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace OpenChami.Core.Storage.Postgres;

/// <summary>
/// Turns the typed predicates the services use into a parameterised SQL condition over the
/// <c>doc</c> jsonb column: comparisons (==, !=, &lt;, &lt;=, &gt;, &gt;=) of a property path with a
/// value, &amp;&amp;, ||, !, <c>x.List.Contains(v)</c> and <c>x.Items.Select(i =&gt; i.P).Any(p =&gt; p == v)</c>.
/// Values always travel as parameters; property names come from the model types (C# identifiers).
/// Anything else returns null and the caller filters in memory with the compiled predicate.
/// Text compares with <c>COLLATE "C"</c> (ordinal, like C#) to match the indexes.
/// </summary>
internal static class PostgresQueryTranslator
{
    public sealed record SqlCondition(string Sql, IReadOnlyList<NpgsqlParameter> Parameters);

    /// <param name="firstParameter">Number of the first positional parameter (<c>$n</c>) the condition may use.</param>
    public static SqlCondition? TryTranslate<T>(Expression<Func<T, bool>> predicate, int firstParameter = 1)
    {
        var context = new Context(predicate.Parameters[0], firstParameter);
        var sql = context.Condition(predicate.Body, negated: false);
        return sql is null ? null : new SqlCondition(sql, context.Parameters);
    }

    /// <summary>The SQL for a property path of <c>doc</c> as text, e.g. <c>(doc-&gt;'Members'-&gt;&gt;'Ids')</c>; also used for index definitions.</summary>
    public static string TextPath(IReadOnlyList<string> path)
    {
        var sql = new StringBuilder("(doc");
        for (var i = 0; i < path.Count; i++) sql.Append(i == path.Count - 1 ? "->>'" : "->'").Append(CheckName(path[i])).Append('\'');
        return sql.Append(')').ToString();
    }

    private static string JsonPath(IReadOnlyList<string> path)
    {
        var sql = new StringBuilder("(doc");
        foreach (var name in path) sql.Append("->'").Append(CheckName(name)).Append('\'');
        return sql.Append(')').ToString();
    }

    // Property names are C# identifiers from the model types; anything else is refused outright.
    private static string CheckName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? name
            : throw new InvalidOperationException($"'{name}' is not a property name");

    private sealed class Context(ParameterExpression document, int firstParameter)
    {
        public List<NpgsqlParameter> Parameters { get; } = [];

        private string Add(object value, NpgsqlDbType type)
        {
            Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            return "$" + (firstParameter + Parameters.Count - 1);
        }

        public string? Condition(Expression expression, bool negated)
        {
            switch (expression)
            {
                case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                    var left = Condition(logical.Left, negated);
                    var right = left is null ? null : Condition(logical.Right, negated);
                    if (right is null) return null;
                    return $"({left} {(logical.NodeType == ExpressionType.AndAlso ? "AND" : "OR")} {right})";
                case UnaryExpression { NodeType: ExpressionType.Not } not when not.Type == typeof(bool):
                    // C# has no unknown: a comparison with a missing value is false, so its negation is true.
                    var inner = Condition(not.Operand, negated: true);
                    return inner is null ? null : $"(NOT COALESCE({inner}, false))";
                case BinaryExpression binary when IsComparison(binary.NodeType):
                    return Comparison(binary);
                case MethodCallExpression call:
                    return Method(call);
                case MemberExpression member when member.Type == typeof(bool) && PathOf(member) is { } flag:
                    return $"({TextPath(flag)} = 'true')";
                case ConstantExpression { Value: bool constant }:
                    return constant ? "true" : "false";
                default:
                    return null;
            }
        }

        private static bool IsComparison(ExpressionType type) => type is ExpressionType.Equal or ExpressionType.NotEqual
            or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual;

        private string? Comparison(BinaryExpression binary)
        {
            var op = binary.NodeType;
            Expression memberSide = binary.Left, valueSide = binary.Right;
            if (PathOf(Unwrap(memberSide)) is null)
            {
                (memberSide, valueSide) = (valueSide, memberSide);
                op = Flip(op);
            }
            var member = Unwrap(memberSide);
            var path = PathOf(member);
            if (path is null || References(valueSide)) return null;
            if (!TryEvaluate(valueSide, out var value)) return null;
            var memberType = Nullable.GetUnderlyingType(member.Type) ?? member.Type;

            if (value is null)
            {
                return op switch
                {
                    ExpressionType.Equal => $"({TextPath(path)} IS NULL)",
                    ExpressionType.NotEqual => $"({TextPath(path)} IS NOT NULL)",
                    _ => "false", // a lifted comparison with null is false in C#
                };
            }
            var sqlOp = op switch
            {
                ExpressionType.Equal => "=",
                ExpressionType.NotEqual => "<>",
                ExpressionType.LessThan => "<",
                ExpressionType.LessThanOrEqual => "<=",
                ExpressionType.GreaterThan => ">",
                _ => ">=",
            };
            // C#'s != is true when the stored value is missing; SQL's <> would be unknown.
            string Compare(string left, string right) =>
                op == ExpressionType.NotEqual ? $"({left} IS DISTINCT FROM {right})" : $"({left} {sqlOp} {right})";

            if (memberType == typeof(string) || memberType == typeof(Guid) || memberType == typeof(char))
            {
                if (op is not (ExpressionType.Equal or ExpressionType.NotEqual)) return null;
                return Compare($"{TextPath(path)} COLLATE \"C\"", Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, NpgsqlDbType.Text));
            }
            if (memberType.IsEnum)
            {
                var stored = StorageJson.ToElement(Enum.ToObject(memberType, value), memberType);
                if (stored.ValueKind != JsonValueKind.String || op is not (ExpressionType.Equal or ExpressionType.NotEqual)) return null;
                return Compare($"{TextPath(path)} COLLATE \"C\"", Add(stored.GetString()!, NpgsqlDbType.Text));
            }
            if (memberType == typeof(bool))
            {
                if (op is not (ExpressionType.Equal or ExpressionType.NotEqual)) return null;
                return Compare($"{TextPath(path)} COLLATE \"C\"", Add((bool)value ? "true" : "false", NpgsqlDbType.Text));
            }
            if (memberType == typeof(DateTime) && value is DateTime time)
            {
                if (HasOwnConverter(member))
                {
                    return Compare($"{TextPath(path)}::timestamptz", Add(StorageJson.TimeText(time), NpgsqlDbType.Text) + "::timestamptz");
                }
                // Stored in one fixed-width UTC format ("O"), so ordinal text order is time order and the index applies.
                return Compare($"{TextPath(path)} COLLATE \"C\"", Add(StorageJson.TimeText(time), NpgsqlDbType.Text));
            }
            if (IsInteger(memberType))
            {
                var number = Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture);
                if (op is ExpressionType.Equal or ExpressionType.NotEqual)
                {
                    // jsonb prints an integer canonically, so text equality is exact and uses the index.
                    return Compare($"{TextPath(path)} COLLATE \"C\"", Add(number.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text));
                }
                return Compare($"{TextPath(path)}::numeric", Add(number, NpgsqlDbType.Numeric));
            }
            if (memberType == typeof(double) || memberType == typeof(float) || memberType == typeof(decimal))
            {
                return Compare($"{TextPath(path)}::numeric", Add(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Numeric));
            }
            return null;
        }

        private string? Method(MethodCallExpression call)
        {
            // list.Contains(v): instance (List<T>.Contains) or Enumerable.Contains(list, v).
            if (call.Method.Name == "Contains")
            {
                var (list, item) = call.Object is not null && call.Arguments.Count == 1 ? (call.Object, call.Arguments[0])
                    : call.Object is null && call.Arguments.Count == 2 && call.Method.DeclaringType == typeof(Enumerable) ? (call.Arguments[0], call.Arguments[1])
                    : (null, null);
                if (list is null || item is null || call.Object is not null && !IsCollection(call.Object.Type)) return null;
                if (PathOf(list) is not { } path || References(item) || !TryEvaluate(item, out var value) || value is null) return null;
                return Contains(path, [], value, item.Type);
            }
            // items.Select(i => i.P).Any(p => p == v)  and  items.Any(i => i.P == v)
            if (call.Method.Name == "Any" && call.Method.DeclaringType == typeof(Enumerable) && call.Arguments.Count == 2
                && call.Arguments[1] is LambdaExpression { Body: BinaryExpression { NodeType: ExpressionType.Equal } test } any)
            {
                var element = any.Parameters[0];
                Expression source = call.Arguments[0];
                IReadOnlyList<string>? inner = [];
                if (source is MethodCallExpression { Method.Name: "Select", Arguments: [var selectSource, LambdaExpression selector] } select
                    && select.Method.DeclaringType == typeof(Enumerable))
                {
                    inner = PathFrom(selector.Body, selector.Parameters[0]);
                    source = selectSource;
                    if (inner is null) return null;
                }
                if (PathOf(source) is not { } outer) return null;
                Expression elementSide = test.Left, valueSide = test.Right;
                if (ElementPath(Unwrap(elementSide), element) is null) (elementSide, valueSide) = (valueSide, elementSide);
                var tail = ElementPath(Unwrap(elementSide), element);
                if (tail is null || References(valueSide) || ReferencesParameter(valueSide, element) || !TryEvaluate(valueSide, out var value) || value is null) return null;
                return Contains(outer, [.. inner, .. tail], value, Unwrap(elementSide).Type);
            }
            return null;
        }

        /// <summary><c>doc @&gt; {"A":{"B":[ {"C": v} ]}}</c>: the GIN (jsonb_path_ops) index answers it.</summary>
        private string? Contains(IReadOnlyList<string> arrayPath, IReadOnlyList<string> elementPath, object value, Type valueType)
        {
            var type = Nullable.GetUnderlyingType(valueType) ?? valueType;
            if (!(type == typeof(string) || type.IsEnum || IsInteger(type) || type == typeof(bool))) return null;
            JsonNode? element = JsonNode.Parse(StorageJson.ToElement(type.IsEnum ? Enum.ToObject(type, value) : value, type).GetRawText());
            for (var i = elementPath.Count - 1; i >= 0; i--) element = new JsonObject { [CheckName(elementPath[i])] = element };
            JsonNode node = new JsonArray(element);
            for (var i = arrayPath.Count - 1; i >= 0; i--) node = new JsonObject { [CheckName(arrayPath[i])] = node };
            return $"(doc @> {Add(node.ToJsonString(), NpgsqlDbType.Jsonb)})";
        }

        private IReadOnlyList<string>? PathOf(Expression expression) => PathFrom(expression, document);

        // Inside Any(p => p == v) the element itself is a valid (empty) path.
        private static IReadOnlyList<string>? ElementPath(Expression expression, ParameterExpression element) =>
            expression == element ? [] : PathFrom(expression, element);

        private static IReadOnlyList<string>? PathFrom(Expression expression, ParameterExpression root)
        {
            var names = new List<string>();
            while (expression is MemberExpression { Member: PropertyInfo property } member)
            {
                names.Add(property.Name);
                expression = member.Expression!;
                if (expression is null) return null;
            }
            if (expression != root || names.Count == 0) return null;
            names.Reverse();
            return names;
        }

        private static Expression Unwrap(Expression expression)
        {
            while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert) expression = convert.Operand;
            return expression;
        }

        private bool References(Expression expression) => ReferencesParameter(expression, document);

        private static bool ReferencesParameter(Expression expression, ParameterExpression parameter)
        {
            var finder = new ParameterFinder(parameter);
            finder.Visit(expression);
            return finder.Found;
        }

        private static bool HasOwnConverter(Expression member) =>
            member is MemberExpression { Member: var info } && info.GetCustomAttribute<JsonConverterAttribute>() is not null;
    }

    private static ExpressionType Flip(ExpressionType op) => op switch
    {
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => op,
    };

    private static bool IsInteger(Type type) => type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte);

    private static bool IsCollection(Type type) => type != typeof(string) && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));

    /// <summary>Evaluates a value side (a constant or a captured variable) without compiling when it can.</summary>
    private static bool TryEvaluate(Expression expression, out object? value)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                value = constant.Value;
                return true;
            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert when TryEvaluate(convert.Operand, out var operand):
                value = operand;
                return true;
            case MemberExpression member when member.Expression is null || TryEvaluate(member.Expression, out _):
                object? target = null;
                if (member.Expression is not null && !TryEvaluate(member.Expression, out target)) break;
                if (member.Expression is not null && target is null) break;
                value = member.Member switch
                {
                    FieldInfo field => field.GetValue(target),
                    PropertyInfo property => property.GetValue(target),
                    _ => null,
                };
                return member.Member is FieldInfo or PropertyInfo;
        }
        try
        {
            value = Expression.Lambda(expression).Compile(preferInterpretation: true).DynamicInvoke();
            return true;
        }
        catch (Exception)
        {
            value = null;
            return false;
        }
    }

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (node == parameter) Found = true;
            return node;
        }
    }
}
