using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace OpenChami.Core.Storage;

/// <summary>
/// A text key for a query predicate, with captured variables replaced by their values, so
/// <c>c =&gt; c.NID == nid</c> for nid 7 and nid 8 are different cache entries. Null when the
/// predicate has a shape this doesn't know (the query then simply isn't cached).
/// </summary>
internal static class ExpressionKey
{
    private const int MaxLength = 2048;

    public static string? Of(Expression expression)
    {
        var text = new StringBuilder(128);
        return Append(text, expression) && text.Length <= MaxLength ? text.ToString() : null;
    }

    private static bool Append(StringBuilder text, Expression? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                return true;
            case LambdaExpression lambda:
                text.Append("λ(");
                foreach (var p in lambda.Parameters) text.Append(p.Name).Append(':').Append(p.Type.FullName).Append(',');
                text.Append(")=>");
                return Append(text, lambda.Body);
            case ParameterExpression parameter:
                text.Append('$').Append(parameter.Name);
                return true;
            case ConstantExpression constant:
                return AppendValue(text, constant.Value);
            case MemberExpression member when TryEvaluate(member, out var value):
                return AppendValue(text, value);
            case MemberExpression member:
                if (!Append(text, member.Expression)) return false;
                text.Append('.').Append(member.Member.Name);
                return true;
            case BinaryExpression binary:
                text.Append('(');
                if (!Append(text, binary.Left)) return false;
                text.Append(' ').Append(binary.NodeType).Append(' ');
                if (!Append(text, binary.Right)) return false;
                text.Append(')');
                return true;
            case UnaryExpression unary:
                text.Append(unary.NodeType).Append('<').Append(unary.Type.FullName).Append(">(");
                if (!Append(text, unary.Operand)) return false;
                text.Append(')');
                return true;
            case MethodCallExpression call:
                text.Append(call.Method.DeclaringType?.FullName).Append("::").Append(call.Method.Name).Append('(');
                if (call.Object is not null && !Append(text, call.Object)) return false;
                foreach (var argument in call.Arguments)
                {
                    text.Append(',');
                    if (!Append(text, argument)) return false;
                }
                text.Append(')');
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>x =&gt; x.Member == value</c> (either way round, through conversions) with <c>Member</c> a property of the
    /// document itself and <c>value</c> a constant or captured variable: the member's name and the value.
    /// </summary>
    public static bool TryEquality(LambdaExpression predicate, out string member, out object? value)
    {
        member = string.Empty;
        value = null;
        if (predicate.Body is not BinaryExpression { NodeType: ExpressionType.Equal } equal || predicate.Parameters.Count != 1) return false;
        var parameter = predicate.Parameters[0];
        foreach (var (left, right) in new[] { (equal.Left, equal.Right), (equal.Right, equal.Left) })
        {
            if (Unwrap(left) is MemberExpression { Member: PropertyInfo property } access && access.Expression == parameter && TryValue(Unwrap(right), out value))
            {
                member = property.Name;
                // The compiler compares enums as integers: give the value back its enum type (stored as its name).
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (type.IsEnum && value is not null && !type.IsInstanceOfType(value)) value = Enum.ToObject(type, value);
                return true;
            }
        }
        return false;
    }

    private static Expression Unwrap(Expression node) =>
        node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert ? Unwrap(convert.Operand) : node;

    private static bool TryValue(Expression node, out object? value)
    {
        value = null;
        switch (node)
        {
            case ConstantExpression constant:
                value = constant.Value;
                return true;
            case MemberExpression member:
                return TryEvaluate(member, out value);
            default:
                return false;
        }
    }

    /// <summary>A member chain rooted in a constant (a captured variable): its value, read by reflection (no compile).</summary>
    private static bool TryEvaluate(MemberExpression member, out object? value)
    {
        value = null;
        object? target;
        switch (member.Expression)
        {
            case null:
                target = null; // static member
                break;
            case ConstantExpression constant:
                target = constant.Value;
                break;
            case MemberExpression inner when TryEvaluate(inner, out var innerValue):
                target = innerValue;
                break;
            default:
                return false;
        }
        switch (member.Member)
        {
            case FieldInfo field:
                value = field.GetValue(target);
                return true;
            case PropertyInfo property when property.GetIndexParameters().Length == 0:
                value = property.GetValue(target);
                return true;
            default:
                return false;
        }
    }

    private static bool AppendValue(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                return true;
            case string s:
                // Length-prefixed: no value can imitate the key's punctuation.
                text.Append("s").Append(s.Length).Append(':').Append(s);
                return true;
            case DateTime d:
                text.Append("d:").Append(d.Ticks).Append(':').Append(d.Kind);
                return true;
            case Enum e:
                text.Append(e.GetType().FullName).Append(':').Append(e);
                return true;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal or DateTimeOffset or Guid:
                text.Append(value.GetType().Name).Append(':').Append(f.ToString(null, CultureInfo.InvariantCulture));
                return true;
            case bool b:
                text.Append(b ? "true" : "false");
                return true;
            case IEnumerable items:
                text.Append('[');
                foreach (var item in items)
                {
                    if (!AppendValue(text, item) || text.Length > MaxLength) return false;
                    text.Append(',');
                }
                text.Append(']');
                return true;
            default:
                return false;
        }
    }
}
