# Subscription cmdlets and delivery of a change made by a cmdlet to a real HTTP listener on 127.0.0.1
# (spec/smd.md §2.10.3).
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Temp = New-TestFolder
    Connect-ChamiTestDatabase -Name scn -Folder $script:Temp | Out-Null
    $script:Server = Start-ChamiServer -Port 0
    New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 | Out-Null
    New-ChamiNode -Xname x1000c0s0b0n1 -Nid 2 | Out-Null

    $free = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $free.Start()
    $port = $free.LocalEndpoint.Port; $free.Stop()
    $script:Listener = [Net.HttpListener]::new()
    $script:Listener.Prefixes.Add("http://127.0.0.1:$port/")
    $script:Listener.Start()
    $script:Url = "http://127.0.0.1:$port/scn"
}

AfterAll {
    $script:Listener.Stop()
    Stop-ChamiServer -Server $script:Server | Out-Null
    Disconnect-ChamiDatabase -Confirm:$false | Out-Null
    Remove-Item $script:Temp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-ChamiSubscription, Get-ChamiSubscription, Remove-ChamiSubscription' {
    It 'subscribes, lists and refuses a URL that is not http(s)' {
        $subscription = New-ChamiSubscription -Subscriber 'slurm@head1' -Url $Url -Role service
        $subscription.ID | Should -Be '1'
        $subscription.Roles | Should -Be @('Service')
        (Get-ChamiSubscription).Subscriber | Should -Be 'slurm@head1'
        (Get-ChamiSubscription -ID 1).Url | Should -Be $Url

        New-ChamiSubscription -Subscriber x -Url 'ftp://127.0.0.1/' -State On -ErrorVariable bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidUrl,*'
        New-ChamiSubscription -Subscriber 'slurm@head1' -Url $Url -State On -ErrorVariable twice -ErrorAction SilentlyContinue
        $twice[0].FullyQualifiedErrorId | Should -BeLike 'SubscriptionExists,*'
    }

    It 'a Role change made by Set-ChamiNode reaches the subscriber as an SCN POST' {
        $context = $Listener.GetContextAsync()
        Set-ChamiNode -Xname x1000c0s0b0n1 -Role Service
        $context.Wait([TimeSpan]::FromSeconds(30)) | Should -BeTrue -Because 'the notification is delivered in the background within bounded time'
        $request = $context.Result.Request
        $request.HttpMethod | Should -Be 'POST'
        $body = [IO.StreamReader]::new($request.InputStream).ReadToEnd() | ConvertFrom-Json
        $context.Result.Response.StatusCode = 200
        $context.Result.Response.Close()
        $body.Components | Should -Be @('x1000c0s0b0n1')
        $body.Role | Should -Be 'Service'
        $body.PSObject.Properties.Name | Should -Not -Contain 'State'
    }

    It 'removes a subscription from the pipeline' {
        Get-ChamiSubscription | Remove-ChamiSubscription -Confirm:$false
        Get-ChamiSubscription | Should -BeNullOrEmpty
        Remove-ChamiSubscription -ID 1 -ErrorVariable gone -ErrorAction SilentlyContinue
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'SubscriptionNotFound,*'
    }
}
