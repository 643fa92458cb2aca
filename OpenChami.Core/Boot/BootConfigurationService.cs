using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenChami.Core.Errors;
using OpenChami.Core.Resources;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Boot;

/// <summary>
/// Boot configurations as resources (spec/boot-service.md §2–3): what <c>/boot-service/bootconfigurations</c> and the
/// *-ChamiBootConfig cmdlets read and write, over the same documents <c>/boot/v1</c> serves (spec/boot-service.md §6).
/// Every write is one transaction; the selector index follows at the storage layer (<see cref="BootSelectorIndex"/>).
/// </summary>
public sealed class BootConfigurationService(IChamiStore store, TimeProvider? time = null) : IResourceService<BootConfigurationSpec>
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    /// <summary>Now, to the millisecond: what both backends store, so a write's answer equals the next read.</summary>
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    public ResourceKind Kind => BootConfigurationSpec.ResourceKind;

    public IReadOnlyList<Resource<BootConfigurationSpec>> List() => Documents().Select(ToResource).ToList();

    /// <summary>Every configuration, by name.</summary>
    public IReadOnlyList<BootConfiguration> Documents() =>
        store.Read(s => s.Collection<BootConfiguration>().All()).OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Uid, StringComparer.Ordinal).ToList();

    /// <summary>Configurations whose name matches <paramref name="pattern"/> (PowerShell wildcards: <c>*</c>, <c>?</c>, <c>[a-z]</c>; case-insensitive).</summary>
    public IReadOnlyList<BootConfiguration> Find(string pattern)
    {
        if (pattern.AsSpan().IndexOfAny("*?[") < 0) return FindByName(pattern) is { } one ? [one] : [];
        var regex = new Regex("\\A" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".").Replace("\\[", "[") + "\\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return Documents().Where(c => regex.IsMatch(c.Name)).ToList();
    }

    public BootConfiguration? FindByName(string name) => store.Read(s => ByName(s, name));

    /// <summary>The configuration named <paramref name="name"/>; NotFound (BootConfigurationNotFound) when none.</summary>
    public BootConfiguration GetByName(string name) =>
        FindByName(name) ?? throw ChamiException.NotFound("BootConfigurationNotFound", $"no boot configuration named '{name}'", name);

    public BootConfiguration? Document(string uid) => store.Read(s => s.Collection<BootConfiguration>().Get(uid));

    public Resource<BootConfigurationSpec>? Get(string uid) => Document(uid) is { } c ? ToResource(c) : null;

    public Resource<BootConfigurationSpec> Create(ResourceMetadata metadata, BootConfigurationSpec spec)
    {
        var name = CheckName(metadata.Name);
        var config = new BootConfiguration();
        spec.ApplyTo(config);
        var now = Now();
        return ToResource(store.Write(s =>
        {
            var configs = s.Collection<BootConfiguration>();
            if (ByName(s, name) is not null) throw ChamiException.Conflict("BootConfigurationExists", $"a BootConfiguration named '{name}' exists", name);
            config.Uid = BootSelectorIndex.NewUid(configs);
            config.Name = name;
            config.Labels = Copy(metadata.Labels);
            config.Annotations = Copy(metadata.Annotations);
            config.CreatedAt = config.UpdatedAt = now;
            config.ReferralToken = Guid.NewGuid().ToString();
            configs.Insert(config);
            return config;
        }));
    }

    public Resource<BootConfigurationSpec> Replace(string uid, ResourceMetadata metadata, BootConfigurationSpec spec)
    {
        var probe = new BootConfiguration();
        spec.ApplyTo(probe);
        return ToResource(Change(uid, (s, config) =>
        {
            if (metadata.Name.Length > 0) Rename(s, config, metadata.Name);
            if (metadata.Labels is not null) config.Labels = Copy(metadata.Labels);
            if (metadata.Annotations is not null) config.Annotations = Copy(metadata.Annotations);
            spec.ApplyTo(config);
            // Selectors other than the one it was made for: no longer BSS's own single-selector configuration.
            if (config.BssKey is { } key && (config.Identities() is not [var only] || only.Key != key)) config.BssKey = null;
        }));
    }

    public Resource<BootConfigurationSpec> SetStatus(string uid, JsonNode? status) =>
        ToResource(Change(uid, (_, config) => config.Status = status?.ToJsonString()));

    public bool Delete(string uid) => store.Write(s => s.Collection<BootConfiguration>().Delete(uid));

    /// <summary>A field-level change (Set-ChamiBootConfig): null values keep what is stored; validated as a whole before it is written.</summary>
    public BootConfiguration Update(string uid, Action<BootConfigurationSpec> edit, string? newName = null)
    {
        return Change(uid, (s, config) =>
        {
            var spec = BootConfigurationSpec.From(config);
            edit(spec);
            if (!string.IsNullOrEmpty(newName)) Rename(s, config, newName);
            spec.ApplyTo(config);
            if (config.BssKey is { } key && (config.Identities() is not [var only] || only.Key != key)) config.BssKey = null;
        });
    }

    private BootConfiguration Change(string uid, Action<IStoreSession, BootConfiguration> change) => store.Write(s =>
    {
        var configs = s.Collection<BootConfiguration>();
        var config = configs.Get(uid) ?? throw ChamiException.NotFound("BootConfigurationNotFound", $"BootConfiguration '{uid}' not found", uid);
        change(s, config);
        config.UpdatedAt = Now();
        configs.Update(config);
        return config;
    });

    private static void Rename(IStoreSession s, BootConfiguration config, string newName)
    {
        var name = CheckName(newName);
        if (name == config.Name) return;
        if (ByName(s, name) is not null) throw ChamiException.Conflict("BootConfigurationExists", $"a BootConfiguration named '{name}' exists", name);
        config.Name = name;
    }

    private static BootConfiguration? ByName(IStoreSession s, string name) => s.Collection<BootConfiguration>().FindOne(c => c.Name == name);

    private static string CheckName(string? name)
    {
        var trimmed = (name ?? string.Empty).Trim();
        if (trimmed.Length is 0 or > 253 || trimmed.Any(c => char.IsControl(c) || c == '/'))
        {
            throw ChamiException.Invalid("InvalidBootConfigurationName", $"a BootConfiguration needs metadata.name (1-253 characters, no '/' or control characters); got '{name}'", name);
        }
        return trimmed;
    }

    public Resource<BootConfigurationSpec> ToResource(BootConfiguration c) => new()
    {
        ApiVersion = Kind.ApiVersion,
        Kind = Kind.Name,
        Metadata = ResourceMetadata.Stored(c.Name, c.Uid, c.Labels, c.Annotations, c.CreatedAt, c.UpdatedAt),
        Spec = BootConfigurationSpec.From(c),
        Status = c.Status is null ? null : JsonNode.Parse(c.Status),
    };

    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string>? map) =>
        map is null ? null : new Dictionary<string, string>(map, StringComparer.Ordinal);
}
