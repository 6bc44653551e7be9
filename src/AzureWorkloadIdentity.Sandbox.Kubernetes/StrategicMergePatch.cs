using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// Applies a strategic merge patch (what <c>kubectl apply</c>, <c>kubectl patch</c> and <c>helm upgrade</c> send for
/// built-in kinds): maps merge as in a JSON merge patch; lists with a merge key (<see cref="StrategicMergeKeys"/>)
/// merge element by element; the directives <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>,
/// <c>$setElementOrder/&lt;list&gt;</c> and <c>$deleteFromPrimitiveList/&lt;list&gt;</c> are honoured.
/// </summary>
public static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(patch);
        return MergeObject(target, patch) ?? [];
    }

    private static JsonObject? MergeObject(JsonObject? target, JsonObject patch)
    {
        switch (patch[Directive]?.GetValue<string>())
        {
            case "delete":
                return null;
            case "replace":
                var replacement = (JsonObject)patch.DeepClone();
                replacement.Remove(Directive);
                return replacement;
            case null or "merge":
                break;
            case var other:
                throw KubernetesApiException.BadRequest($"unknown patch type \"{other}\" in $patch (use replace, delete or merge)");
        }

        var result = target ?? [];
        foreach (var (key, value) in patch)
        {
            if (key is Directive or RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    result[field] = new JsonArray([.. list.Where(item => !remove.Any(r => JsonNode.DeepEquals(r, item))).Select(item => item?.DeepClone())]);
                }

                continue;
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = value switch
            {
                JsonObject patchObject => MergeObject(result[key] as JsonObject, patchObject),
                JsonArray patchList => MergeList(key, result[key] as JsonArray, patchList),
                _ => value.DeepClone(),
            };
            if (merged is null)
            {
                result.Remove(key);
            }
            else if (!ReferenceEquals(merged, result[key]))
            {
                result[key] = merged;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetElementOrder.Length..];
                if (result[field] is JsonArray list)
                {
                    result[field] = Reorder(field, list, order);
                }
            }
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? target, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(e => e[Directive]?.GetValue<string>() == "replace"))
        {
            return new JsonArray([.. patch.Where(e => e is not JsonObject o || o[Directive] is null).Select(e => e?.DeepClone())]);
        }

        if (StrategicMergeKeys.IsMergedScalarList(field))
        {
            var union = target is null ? [] : (JsonArray)target.DeepClone();
            foreach (var item in patch.Where(item => !union.Any(u => JsonNode.DeepEquals(u, item))))
            {
                union.Add(item?.DeepClone());
            }

            return union;
        }

        var key = StrategicMergeKeys.KeyOf(field, target, patch);
        if (key is null || target is null)
        {
            return new JsonArray([.. patch.Where(e => e is not JsonObject o || o[Directive] is null).Select(e => e?.DeepClone())]);
        }

        var result = (JsonArray)target.DeepClone();
        foreach (var element in patch.OfType<JsonObject>())
        {
            var keyValue = element[key] ?? throw KubernetesApiException.BadRequest($"an element of {field} in the patch has no merge key \"{key}\"");
            var index = IndexOf(result, key, keyValue);
            if (element[Directive]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var merged = MergeObject((JsonObject)result[index]!.DeepClone(), element);
                result[index] = merged;
            }
            else
            {
                result.Add(MergeObject(null, element));
            }
        }

        return result;
    }

    // The order the client wants: elements it names first, in its order, then the others as they were.
    private static JsonArray Reorder(string field, JsonArray list, JsonArray order)
    {
        var key = StrategicMergeKeys.KeyOf(field, list, order);
        int Rank(JsonNode? item)
        {
            for (var i = 0; i < order.Count; i++)
            {
                var matches = key is null ? JsonNode.DeepEquals(order[i], item) : JsonNode.DeepEquals(order[i]?[key], item?[key]);
                if (matches)
                {
                    return i;
                }
            }

            return order.Count;
        }

        return new JsonArray([.. list.Select((item, position) => (item, position)).OrderBy(p => Rank(p.item)).ThenBy(p => p.position).Select(p => p.item?.DeepClone())]);
    }

    private static int IndexOf(JsonArray list, string key, JsonNode keyValue)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (JsonNode.DeepEquals(list[i]?[key], keyValue))
            {
                return i;
            }
        }

        return -1;
    }
}
