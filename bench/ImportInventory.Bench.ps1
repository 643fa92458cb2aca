<#
.SYNOPSIS
    Import-ChamiInventory of an ochami nodes.yaml with N nodes (default 10,000; 2 nodes per BMC, 2 NICs per node,
    2 groups) into a fresh database FILE, against a raw LiteDB bulk insert of the very same documents measured in
    the same run. Prints times and the ratio; writes bench/results/import-inventory.json.

.DESCRIPTION
    Timed, in this order, each into its own fresh database file in a temp folder:
      cold     the first Import-ChamiInventory of the process (includes JIT warm-up)
      core     InventoryImportService.ParseFile + Apply              (the same without PowerShell; shared and direct file mode)
      cmdlet   Import-ChamiInventory -Path nodes.yaml | Out-Null   (parse + validate + one transaction + ImportResult objects)
      reimport Import-ChamiInventory of the same file again (all Unchanged: the idempotency check)
      raw      LiteDB InsertBulk of the documents the import produced (already mapped to BsonDocuments, one
               transaction): the floor any import into LiteDB can reach, with no parsing, validation or lookups.
.EXAMPLE
    dotnet pwsh bench/ImportInventory.Bench.ps1 -ModulePath out/OpenChami/OpenChami.psd1 -Nodes 10000
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Nodes = 10000,
    # A PostgreSQL server: the cold and the cmdlet imports (and the re-import) go into fresh databases created
    # there instead of LiteDB files (login needs CREATEDB; no password in the string: PGPASSWORD or ~/.pgpass).
    # The Core-only and raw LiteDB figures stay LiteDB: the raw insert is the same floor for both backends.
    [string] $ConnectionString
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchInventory.ps1')
Import-Module $ModulePath -Force
if ($ConnectionString) { . (Join-Path $PSScriptRoot 'BenchPostgres.ps1') }
$work = Join-Path ([IO.Path]::GetTempPath()) "openchami-bench-import-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
try {
    $yaml = Join-Path $work 'nodes.yaml'
    New-NodesYaml -Count $Nodes -Path $yaml
    $bmcs = [int][math]::Ceiling($Nodes / 2)

    # ---- cold: what an operator sees in a fresh pwsh. The first large import of a process runs LiteDB and our code
    # as unoptimized tier-0 JIT code until the background JIT catches up (slow on 2 shared cores); the runs after it
    # are steady-state and are the ones compared with the raw insert.
    $postgresDatabases = [Collections.Generic.List[string]]::new()
    function Connect-BenchDatabase([string] $Name) {
        if (-not $ConnectionString) { Connect-ChamiDatabase -Path (Join-Path $work "$Name.db") | Out-Null; return }
        $database = New-BenchPostgresDatabase $ConnectionString "import$Name"
        $postgresDatabases.Add($database)
        Connect-ChamiDatabase -ConnectionString $database -KeyDirectory (Join-Path $work "$Name.keys") | Out-Null
    }
    Connect-BenchDatabase 'cold'
    $coldCmdlet = Measure-Command { Import-ChamiInventory -Path $yaml | Out-Null }
    [GC]::Collect()

    # ---- Core only (no PowerShell objects), file opened in shared mode like the cmdlets' database, then direct mode
    $coreTimes = @{}
    foreach ($shared in $true, $false) {
        $coreStore = [OpenChami.Core.Storage.LiteDbStore]::OpenFile((Join-Path $work "core-$shared.db"), $shared)
        $services = [OpenChami.Core.ChamiServices]::new($coreStore)
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $parsed = [OpenChami.Core.Inventory.InventoryImportService]::ParseFile($yaml, 'Auto')
        $parseMs = $sw.Elapsed.TotalMilliseconds
        [void]$services.Inventory.Apply($parsed, $false, [Threading.CancellationToken]::None)
        $coreTimes[$shared] = $sw.Elapsed
        $export = $services.Inventory.Export()
        $coreStore.Dispose()
    }
    $core = $coreTimes[$false]

    # ---- cmdlet end to end
    Connect-BenchDatabase 'cmdlet'
    $cmdlet = Measure-Command { Import-ChamiInventory -Path $yaml | Out-Null }
    $reimport = Measure-Command { $script:second = Import-ChamiInventory -Path $yaml }
    $changedOnReimport = @($second | Where-Object Action -ne 'Unchanged').Count
    $objects = @($second).Count
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null

    # ---- raw LiteDB: the same documents, pre-mapped, one InsertBulk per collection in one transaction
    $mapper = [LiteDB.BsonMapper]::new()
    $collections = [ordered]@{
        components          = @($export.Components)
        ethernet_interfaces = @($export.EthernetInterfaces)
        groups              = @($export.Groups)
        redfish_endpoints   = @($export.RedfishEndpoints)
        component_endpoints = @($export.ComponentEndpoints)
    }
    $docs = [ordered]@{}
    $total = 0
    foreach ($name in $collections.Keys) {
        $list = [Collections.Generic.List[LiteDB.BsonDocument]]::new()
        foreach ($item in $collections[$name]) {
            $d = $mapper.ToDocument($item.GetType(), $item)
            $id = if ($item -is [OpenChami.Core.Model.Group]) { $item.Label } else { $item.ID }
            $d['_id'] = [LiteDB.BsonValue]::new([string]$id)
            $list.Add($d)
        }
        $docs[$name] = $list
        $total += $list.Count
    }
    $raw = [LiteDB.LiteDatabase]::new("Filename=$(Join-Path $work 'raw.db');Connection=direct")
    $rawTime = Measure-Command {
        [void]$raw.BeginTrans()
        foreach ($name in $docs.Keys) { [void]$raw.GetCollection($name).InsertBulk($docs[$name], 5000) }
        [void]$raw.Commit()
    }
    $raw.Dispose()

    $result = [ordered]@{
        Nodes              = $Nodes
        Store              = if ($ConnectionString) { 'PostgreSQL' } else { 'LiteDB file (shared mode)' }
        Bmcs               = $bmcs
        ColdCmdletSeconds  = [math]::Round($coldCmdlet.TotalSeconds, 2)
        Documents          = $total
        ImportResults      = $objects
        CmdletSeconds      = [math]::Round($cmdlet.TotalSeconds, 2)
        CoreSharedSeconds  = [math]::Round($coreTimes[$true].TotalSeconds, 2)
        CoreDirectSeconds  = [math]::Round($core.TotalSeconds, 2)
        CoreParseSeconds   = [math]::Round($parseMs / 1000, 2)
        ReimportSeconds    = [math]::Round($reimport.TotalSeconds, 2)
        ReimportChanged    = $changedOnReimport
        RawLiteDbSeconds   = [math]::Round($rawTime.TotalSeconds, 2)
        RatioCmdletToRaw   = [math]::Round($cmdlet.TotalSeconds / $rawTime.TotalSeconds, 1)
        RatioCoreDirectToRaw = [math]::Round($core.TotalSeconds / $rawTime.TotalSeconds, 1)
        RatioCoreSharedToRaw = [math]::Round($coreTimes[$true].TotalSeconds / $rawTime.TotalSeconds, 1)
        Machine            = "$([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"
        Date               = (Get-Date).ToUniversalTime().ToString('o')
    }
    $resultsDir = Join-Path $PSScriptRoot 'results'
    New-Item -ItemType Directory -Path $resultsDir -Force | Out-Null
    if (-not $ConnectionString) { $result | ConvertTo-Json | Set-Content (Join-Path $resultsDir 'import-inventory.json') }
    [pscustomobject]$result | Format-List | Out-String | Write-Host
    [pscustomobject]$result
}
finally {
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
    if ($ConnectionString) { foreach ($database in $postgresDatabases) { Remove-BenchPostgresDatabase $ConnectionString $database } }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
