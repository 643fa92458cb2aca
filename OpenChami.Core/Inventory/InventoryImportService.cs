using System.Text.Json;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory.Import;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Inventory;

/// <summary>
/// Static inventory import and export: ochami's nodes.yaml (both formats), node CSVs and our own JSON export.
/// A nodes file produces exactly the state of spec/discovery-power.md §3.5 — Node components with their NIDs, one
/// SchemaVersion 1 RedfishEndpoint per BMC ingested like <c>ochami discover static</c> sends it, every NIC with all
/// its addresses, groups — in ONE transaction, and re-importing the same file changes nothing.
/// The work is done beside it in Inventory/Import: parsers, <see cref="NodesPlan"/>, the importers and the exporter.
/// </summary>
public sealed class InventoryImportService(IChamiStore store, RedfishEndpointService redfishEndpoints)
{
    // ------------------------------------------------------------------ parse

    public static ParsedInventory ParseFile(string path, InventoryFileFormat format = InventoryFileFormat.Auto)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ChamiException.Invalid("InventoryFileUnreadable", $"Cannot read '{path}': {ex.Message}", path);
        }
        return Parse(text, path, format);
    }

    public static ParsedInventory Parse(string text, string path, InventoryFileFormat format = InventoryFileFormat.Auto)
    {
        if (format == InventoryFileFormat.Auto) format = Detect(text, path);
        switch (format)
        {
            case InventoryFileFormat.Csv:
            {
                var csv = CsvInventoryParser.Parse(text, path);
                return new ParsedInventory { Path = path, Format = format, Nodes = csv, Problems = csv.Problems, Plan = PlanOf(csv) };
            }
            case InventoryFileFormat.Json:
            {
                try
                {
                    var document = JsonSerializer.Deserialize<InventoryDocument>(text, ChamiJson.Options);
                    if (document is null || document.Format != InventoryDocument.FormatName || document.Version != 1)
                    {
                        return Fatal(path, format, "InvalidInventoryFile", $"not an OpenChami inventory export (expected \"Format\":\"{InventoryDocument.FormatName}\", \"Version\":1)");
                    }
                    return new ParsedInventory { Path = path, Format = format, Document = document };
                }
                catch (JsonException ex)
                {
                    return Fatal(path, format, "InvalidJson", $"not valid inventory JSON: {ex.Message}", (ex.LineNumber ?? -1) + 1, (ex.BytePositionInLine ?? -1) + 1);
                }
            }
            default:
            {
                var nodes = NodesFileParser.Parse(text, path);
                return new ParsedInventory { Path = path, Format = InventoryFileFormat.NodesYaml, Nodes = nodes, Problems = nodes.Problems, Plan = PlanOf(nodes) };
            }
        }
    }

    // Cross-element checks (duplicates, BMC references) run at parse time so every problem is known before writing.
    private static NodesPlan? PlanOf(NodesFile file) => file.Problems.Any(p => p.Fatal) ? null : NodesPlan.Build(file);

    private static ParsedInventory Fatal(string path, InventoryFileFormat format, string id, string message, long line = 0, long column = 0) => new()
    {
        Path = path,
        Format = format,
        Problems = [new ImportProblem { Id = id, Severity = ImportProblemSeverity.Error, Fatal = true, Message = message, File = path, Line = line, Column = column }],
    };

    private static InventoryFileFormat Detect(string text, string path)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".csv") return InventoryFileFormat.Csv;
        if (extension == ".json" && text.Contains($"\"{InventoryDocument.FormatName}\"", StringComparison.Ordinal)) return InventoryFileFormat.Json;
        return InventoryFileFormat.NodesYaml;
    }

    // ------------------------------------------------------------------ apply

    /// <summary>
    /// Applies a parsed file in one transaction. With <paramref name="whatIf"/> everything is computed inside the
    /// transaction and then rolled back, so the report is exact and nothing is written.
    /// Fatal problems throw <c>InvalidInventoryFile</c>; element problems were already skipped by the parser.
    /// </summary>
    public InventoryChangeSet Apply(ParsedInventory parsed, bool whatIf = false, CancellationToken cancellation = default)
    {
        if (parsed.HasFatalProblems)
        {
            var first = parsed.Problems.First(p => p.Fatal);
            throw ChamiException.Invalid("InvalidInventoryFile", $"{parsed.Path} was not imported: {first}", parsed.Path);
        }
        InventoryChangeSet? result = null;
        try
        {
            store.Write(s =>
            {
                result = parsed.Document is { } document
                    ? InventoryDocumentImporter.Apply(s, document, cancellation)
                    : NodesFileImporter.Apply(s, parsed.Plan!, redfishEndpoints, cancellation);
                if (whatIf) throw new RollbackException();
            });
        }
        catch (RollbackException)
        {
            foreach (var item in result!.Items) item.WhatIf = true;
        }
        return result!;
    }

    private sealed class RollbackException : Exception;

    // ------------------------------------------------------------------ export

    /// <summary>Every inventory collection in a stable order (no secrets).</summary>
    public InventoryDocument Export() => store.Read(InventoryExporter.Read);

    public void ExportToFile(string path) => InventoryExporter.WriteFile(path, Export());
}
