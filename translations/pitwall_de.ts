<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ActivityText</name>
    <message>
        <source>%1 spent today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> + %1 reserved in flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, no global cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, of a %1 global daily cap (%2 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs started in the last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 15 minutes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All circuit breakers closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 forced %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breakers: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StoreStatus</name>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL: connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL: unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL %1 · %2 · schema v%3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis: connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis: unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live runs: –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live runs: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Operator console for AI agents in production.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL connection string or URI (else PITWALL_PG).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis URL (else PITWALL_REDIS).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a local sandbox and stop it on exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A local sandbox with a simulated fleet running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the sandbox keeps its servers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a screenshot of the window after --screenshot-after ms, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delay before the screenshot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open on this page (0: overview, 1: live runs).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::ConnectDialog</name>
    <message>
        <source>Connect to your agents&apos; stores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pitwall reads PostgreSQL (the system of record) and Redis (live state). Enter where they are, or start a local sandbox with a simulated fleet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A libpq connection string or a postgresql:// URI.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redis://[user:password@]host[:port][/db] or unix:///path/to.sock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PostgreSQL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redis:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a local &amp;sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private PostgreSQL and Redis servers on this machine, with a simulated fleet of agents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a PostgreSQL connection string.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::ConsoleSession</name>
    <message>
        <source>Not connected. Use File › Connect… (Ctrl+K) to choose the stores or start a local sandbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting a local sandbox in %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local sandbox in %1 with a simulated fleet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local sandbox in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo fleet stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Live runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live feed interrupted, reconnecting: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Kill requested for %n run(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: still running 5 s after the kill: its agent is not honouring kills.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 after %3 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL is not reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not kill runs: that needs the pitwall_operator role.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::KillDialog</name>
    <message numerus="yes">
        <source>Kill %n run(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>These runs will be stopped at their next step, or at once if a call is in flight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why? It goes into the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give a reason first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::LiveRunsModel</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kill requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (canary)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (+%2 reserved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>near step cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over cost per request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same tool call ×%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runaway</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::LiveRunsPage</name>
    <message>
        <source>Filter: agent, version, user, status, run id…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill selected runs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill the selected runs (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 live runs shown of %2 · %3 runaways</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more running runs to kill.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::MainWindow</name>
    <message>
        <source>Pitwall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Pitwall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Pitwall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pitwall %1 — an operator console for AI agents in production.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::OverviewPage</name>
    <message>
        <source>reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reachable, but: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live runs: –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL — system of record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logged in as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round trip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis — hot state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent operator actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: run `pitwallctl migrate`</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::RecentActionsModel</name>
    <message>
        <source>applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::StoreHealthProbe</name>
    <message>
        <source>%1 has no Pitwall schema: run `pitwallctl migrate` against it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schema (version %1) is newer than this console (%2): upgrade Pitwall.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
