<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ActionRun</name>
    <message>
        <source>Refused: someone changed it first (%1). The page now shows the current state; decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
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
    <message>
        <source>Breakers not read: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlertTracker</name>
    <message>
        <source>A runaway run appears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A scope passes its spend alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A circuit breaker opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A canary verdict says roll back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditText</name>
    <message>
        <source>Applied to Redis at %1 (%2 ms after it was recorded).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded, not yet applied to Redis: the outbox applies it when a console or `pitwallctl drain` reaches Redis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kill landed: the run ended as killed %1 ms after it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run is not in PostgreSQL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run ended as %1 before the kill landed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not honoured: the run is still running %1 s after the kill.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the agent to stop the run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>landed in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not honoured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run ended as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditTrailPage</name>
    <message>
        <source>any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BreakerText</name>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>half-open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forced open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forced closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enough calls (%1 of the minimum %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 % of %2 calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (opens at %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 calls, %2 failed, %3 refused in %4 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at the next call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forced (by whom is not recorded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forced by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until %1 (in %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without the override it would be %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure rate: %1 over %2 min; %3 failures in a row (it opens at %4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It lets a trial call through %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n live run(s) at this tool now.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  (%1 failures)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CanaryJudge</name>
    <message>
        <source>%1 vs %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of canary runs beyond the stable p95 (stable %2); p95 %3 vs %4, p99 %5 vs %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (interval %3 to %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worse beyond its tolerance: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>better: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>within its tolerance: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enough runs yet (%1 stable and %2 canary, of %3 each)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data in one of the arms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not decided yet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back: %1 is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote: no metric is worse and the critical ones are settled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold: %1 worse, but none that rolls back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold: not enough evidence yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; p50 %1 vs %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; mean %1 vs %2, p95 %3 vs %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CanaryText</name>
    <message>
        <source>Success rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency (typical)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency tail (beyond stable p95)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost per successful run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost per run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost tail (beyond stable p95)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps per run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tool error rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Better</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not enough data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2&apos;s new runs go to %3 instead of %4; the rest to %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs ended in the last 10 minutes: no spend projection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At the current traffic (%1 runs a minute) and each arm&apos;s cost per run (%2 stable, %3 canary), a day costs about %4 instead of %5 (%6%7).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 becomes the stable version of %2 and takes all new runs; %3 is no longer served. At the current traffic a day costs about %4 (now %5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All new runs of %1 go to %2; %3 gets none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No run is in flight on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The %n run(s) in flight on %1 are killed with the rollback.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n run(s) in flight on %1 finish on it.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No decision in sight: the estimates sit on the tolerance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≈ %1 more canary runs; none are arriving at the current weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≈ %1 more canary runs, about %2 at the current weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LiveRunsFilter</name>
    <message>
        <source>&quot;%1&quot; is not the start of a run id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the first 31 words are used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown field &quot;%1&quot;: use agent:, version:, user:, status:, run:, entry: or tool:; the word is matched as plain text.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LiveRunsModel</name>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>killed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended</source>
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
</context>
<context>
    <name>MirrorKeeper</name>
    <message numerus="yes">
        <source>Redis restarted at %1: %n mirror(s) restored from PostgreSQL</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, including %n forced breaker(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SpendText</name>
    <message>
        <source>%1/h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>global</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default user cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agent %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>about %1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has used %2 % of its daily cap of %3 (alert at %4 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 used today (settled %3, reserved %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> of %1 (%2 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · cap reached at %1 at this pace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · the cap is reached: new requests are refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, no daily cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · burn %1 (15 min) · end of day %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · time-boxed cap until %1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today %1 is uncapped; this cap leaves %2 of headroom.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headroom %1 → %2 (%3%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Projected end of day at the last 15 minutes&apos; pace: %1 → %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new cap is reached already: the next requests are refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At this pace the new cap is reached at about %1 UTC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;Refused now, let through:&lt;/b&gt; %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Would be refused:&lt;/b&gt; %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No one refused now would be let through, and no one else would be refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Looked at the %n user(s) following the default cap among today&apos;s top spenders.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
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
    <message>
        <source>PostgreSQL is not reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not kill runs: that needs the pitwall_operator role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not change rollouts: that needs the pitwall_operator role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not change canary policies: that needs the pitwall_operator or pitwall_budget_owner role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not change caps, spend alerts or counters: that needs the pitwall_budget_owner role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not force or clear breakers: that needs the pitwall_operator role.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
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
        <source>Filter the live runs, e.g. &quot;version:v7 running&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort runaways to the top and select the first running one once it shows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open this trace (a trace id or a run id) once connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --trace: select this span (its hex id).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator console for AI agents in production.

A password given in --pg or --redis is visible to every user of this machine (ps). Keep it out of the command line: ~/.pgpass or PGPASSFILE, a service file with PGSERVICE (or service=NAME in the connection string) for PostgreSQL, PITWALL_REDIS_PASSWORD for Redis, or type it in the connection dialog (Ctrl+K), which keeps it in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the canary page, select this agent once it shows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the canary page, open this tab (0: charts, 1: example runs, 2: history, 3: policy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the spend page, select this scope: global, agent:NAME, user:NAME or user:* (the default cap).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the spend page, open this tab (0: charts, 1: reconciliation).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open on this page (0: overview, 1: live runs, 2: traces, 3: canary, 4: spend, 5: breakers, 6: audit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the breakers page on this tool once it shows.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall</name>
    <message>
        <source>%1 · %2 spans · %3 LLM calls (%4 → %5 tokens) · %6 tool calls · %7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · no errors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::AuditService</name>
    <message>
        <source>Not connected: nothing to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled after %1 actions; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed after %1 actions, no file was written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported the newest %1 actions to %2 (the most one export takes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 actions to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::AuditTableModel</name>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not honoured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When (UTC)</source>
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
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::AuditTrailPage</name>
    <message>
        <source>any role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>words of the reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Who:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ction:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tar&amp;get:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;eason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Not yet applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the actions still waiting in the outbox for Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show older (Alt+&amp;M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export C&amp;SV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;JSON Lines…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an action to see what it changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Outcome&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;What the console showed&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No action matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) shown</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>, older ones on request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 by %2 at %3 on %4
Reason: %5
Action id %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing recorded (taken from the command line, a script, or a console before schema 6).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the audit trail as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the audit trail as JSON Lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting… %1 actions written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::BreakerTableModel</name>
    <message>
        <source>Tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since / override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure rate (%1 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failures in a row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs at tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last %1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::BreakersPage</name>
    <message>
        <source>&amp;Filter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tool, state or error text; state:open for one state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a tool to see its breaker.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force &amp;open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force &amp;closed…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear override…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show live &amp;runs at this tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tool(s): </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 open, %2 half-open, %3 forced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · only the first %1 tools by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read at %1 in %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of %1 (reading…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show live &amp;runs at this tool (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of %1 not read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>History of %1: %n transition(s) and override(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source> (%1 failures)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(automatic)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force %1 open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force %1 closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the override of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every call of %1 is refused at once, by every agent, until the override ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every call of %1 goes through, whatever its failures, until the override ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The breaker of %1 goes back to its automatic state (%2 now).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now: %1; %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. the vendor confirmed the outage is over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason (kept in the audit log):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give a reason first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::BreakersService</name>
    <message>
        <source>Clearing the override of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forcing %1 %2…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::CanaryActionDialog</name>
    <message>
        <source>&amp;Reason (kept in the audit log):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. canary fails more than stable on success rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) are in flight on the canary version. What happens to them?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Let them &amp;finish on the canary version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill them with the rollback (one audited action)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give a reason first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::CanaryAgentsModel</name>
    <message>
        <source>no canary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ended runs in the window: canary / stable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs running on the canary version now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs c / s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In flight</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::CanaryExamplesModel</name>
    <message>
        <source>Double-click or press Enter to open the trace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Example of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::CanaryMetricsModel</name>
    <message>
        <source> (critical)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 [%2, %3]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Always valid: the interval and the p-value hold however often you look (docs/canary-judge.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canary − stable [interval]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>meets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>misses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≥ %1: stable %2, canary %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p95 ≤ %1: stable %2, canary %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p95 ≤ %1 a request: stable %2, canary %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cap %1: %2 stable and %3 canary runs reached it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLO %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. SLO %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (and the SLO)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::CanaryPage</name>
    <message>
        <source>&amp;Agents and their canaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart&amp;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The slowest, most expensive and failed runs of each arm. Double-click or press Enter to open a run&apos;s trace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xample runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>H&amp;istory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polic&amp;y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canary weight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canary weight in percent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;weight…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Promote…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Roll back…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>canary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 by %2 at %3
%4 %5 → %6 %7
%8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% of runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success rate by minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency by minute (geometric mean)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost per successful run by minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency distribution (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost per run distribution (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blue: stable. Orange: canary. Dashed red: the agent&apos;s SLO (p95 latency, minimum success rate, maximum cost per request). Triangles: rollout changes; hover one to see who, when and why. Distributions are over the whole window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum finished runs per arm before any verdict:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success rate tolerance (absolute; 0.02 = 2 points):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency tolerance (share; 0.10 = 10 % slower):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost tolerance (share, per run and per successful run):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps tolerance (share):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tail tolerance (share of runs beyond stable p95):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The canary data could not be read: %1 The page shows what was read before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No agent has a rollout yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 takes all runs (no canary)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to judge. The history below shows how it got here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: canary %2 at %3 % vs stable %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since %1: %2 finished canary runs, %3 stable; killed %4 / %5, capped %6 / %7, step limit %8 / %9 (canary / stable). %10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no canary: a new version starts as a canary when its agents register it with a weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an agent first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An action is on its way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask to set the canary weight to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is judged by the defaults (no policy saved).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s policy, revision %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the canary weight of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set to %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The judge does not say promote: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote the canary of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back the canary of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the canary policy of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From now on %1 is judged with at least %2 finished runs per arm, success rate within %3 points, latency within %4 %, cost within %5 %, steps within %6 % and at most %7 points more runs beyond the stable p95.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No finished runs of %1 in the window yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The slowest, most expensive and failed runs of each arm of %1. Double-click or press Enter to open a run&apos;s trace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judged from %1 runs kept in %2 minute summaries (agent × version × minute), merged in %3 ms; read %4.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::CanaryService</name>
    <message>
        <source>Setting the canary weight of %1 to %2 %…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promoting the canary of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rolling back the canary of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the canary policy of %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::CapEditorDialog</name>
    <message>
        <source>Cap of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default cap of every user without a cap of their own: now %1 a day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Daily cap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Per-request cap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permanent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For 1 hour, then the current cap again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For 4 hours, then the current cap again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until midnight UTC, then the current cap again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until a time (UTC)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lasts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Until:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why: it goes into the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;What it changes&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Set cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;i&gt;Reading the users who follow the default cap…&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;At %1 UTC the current cap (%2) comes back by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;The users who follow the default cap could not be read&lt;/b&gt; (%1): who would be refused is not known.</source>
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
    <message>
        <source>A libpq connection string or a postgresql:// URI. Passwords are better kept in ~/.pgpass or a service file (PGSERVICE).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none, or from ~/.pgpass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redis://[user[:password]@]host[:port][/db] or unix:///path/to.sock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passw&amp;ord:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passwords are kept in the system keychain, never in a file; without a keychain they are asked for again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::ConnectionsDialog</name>
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
        <source>Connections</source>
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
        <source>Connect to other stores…</source>
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
        <source>&amp;Live runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live feed interrupted, reconnecting: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Traces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 The password was not saved: it will be asked for again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca&amp;nary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;pend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Breakers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breaker of %1 opened: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canary of %1 says roll back: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runaway run %1: %2</source>
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
        <source>Give a reason first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Type %1 to confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of runs to &amp;kill:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Kill %n run(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Type the number of runs, %1, to confirm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ended (%2) while this dialog was open: it will not be killed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) ended while this dialog was open and will not be killed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Every run listed has ended: there is nothing left to kill.</source>
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
        <source>%1 (canary)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
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
    <message>
        <source>%1 after %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still running %1 after the kill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended while the feed was down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kill flag is set but the run keeps going: its agent is not honouring kills. Check that it runs the Pitwall guard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (+%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend (+reserved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kill recorded, waiting for Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kill is recorded in PostgreSQL and waits to be applied to Redis, which cannot be reached: the agent will stop once a console or `pitwallctl drain` applies it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::LiveRunsPage</name>
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
        <source>%1 · %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more running runs to kill.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: words, or agent: version: user: status: run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free words match the agent, version, user, entry point, last span, status or the start of the run id. Field terms match exactly: version:v7 status:running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill all &amp;shown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill every running run shown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill every running run the filter shows (Shift+Delete), after typing their number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 running · %2 runaways · %3 of %4 runs shown (ended runs stay 3 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · sorting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) of %1 user(s), %2 spent so far</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The filter shows no running run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every running run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every running run shown by &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold the table still: new runs and re-sorts wait until resumed (Pause key or Alt+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume (&amp;P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As of %1, the feed is down: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n new run(s) and changes in order wait while the table holds still — show</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The order changed while the table holds still — show</source>
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
    <message>
        <source>&amp;Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;nnections…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1, and %n more (%2 UTC)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pitwall: %n new incident(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pitwall::OverviewPage</name>
    <message>
        <source>Live runs: –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (as of %2: a store is down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed in the last 5 min: –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runaways now: –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs per minute by final status, last hour (click a bar: those runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the spend page on the global scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no global cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canaries that say roll back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breakers not closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox and stores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox: –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No verdict says roll back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All circuit breakers closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent operator actions (double-click: the audit trail)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed in the last 5 min: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox: every action is applied to Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Outbox: %n action(s) not yet applied, the oldest from %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>forced %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 % of the global cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs per minute by final status, %1 to %2 UTC (click a bar: those runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Click: the connection details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runaways now: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n circuit breaker(s) closed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Breakers not read: %1</source>
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
    <name>pitwall::RolloutHistoryModel</name>
    <message>
        <source>not known (older than the rollup)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no canary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>rollback, %n run(s) in flight killed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>rollback, runs in flight finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2 (stable %3%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, was %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The judge then</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::RunDetailPanel</name>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No run selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a run to see its Redis state, its agent&apos;s SLO targets and its latest events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis no longer holds this run (its hash expires an hour after it ends).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill flag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLO targets of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>success rate at least</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cost per request at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cost per user and day at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>steps at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none set for this agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest events</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Among the newest %n events of the stream.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pitwall::RunListModel</name>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
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
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::RunsService</name>
    <message numerus="yes">
        <source>Recording the kill of %n run(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: kill recorded; Redis cannot be reached (%2), so it waits to be applied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not recorded: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: still running %2 s after the kill: its agent is not honouring kills.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 after %3 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kills were applied, but their ends could not be watched: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::SandboxService</name>
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
        <source>The sandbox could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::SpendHoldsModel</name>
    <message>
        <source>the run ended as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no heartbeat since %1 UTC</source>
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
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it is orphaned</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::SpendPage</name>
    <message>
        <source>&amp;Scopes: global, the default user cap, agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top spending &amp;users today:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter or double-click: the user&apos;s runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ Pre&amp;vious</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ne&amp;xt ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit cap…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ale&amp;rt…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;build from ledger…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User&apos;s r&amp;uns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;conciliation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend today against the daily cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend per agent, per hour (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs refused by a cap, per hour (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reservations &amp;held by runs that ended or whose agent stopped beating (they count against the caps until released):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;lease the selected reservation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend not read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reservation is held by a run that ended or stopped beating.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n orphaned reservation(s), %1 held in all.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No user has spent today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No user whose name contains “%1” spent today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1–%2 of %3 users%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (ranked from the ledger: Redis had lost the running rank)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend alert: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> (and %n more scope(s) past their alert)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select a scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default user cap: %1 a day, %2 a request, for every user without a cap of their own.%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Alert at %1 % of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · alert at %1 %%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default cap has no counter of its own: select a user, an agent or the global scope to compare its counter with the ledger.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Drift:&lt;/b&gt; the Redis counter says %1 settled, the ledger in PostgreSQL %2: %3 apart, more than the tolerance of %4. Rebuild the counter from the ledger.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Redis counter (%1 settled) agrees with the ledger in PostgreSQL (%2): %3 apart, within the tolerance of %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Redis holds no counter for today: the guard seeds it from the ledger at the next request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spent (ledger)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Projection at the last 15 minutes&apos; pace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time-boxed cap expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cap set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend alert of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console shows an alert (status bar and this page) while %1 has used at least this share of its daily cap.%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> It now follows the default user alert (%1 %).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert &amp;at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why: it goes into the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Turn off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rebuild the counter of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s Redis counter of %1 says %2 settled; the ledger in PostgreSQL (runs ended today plus the cost so far of runs still running) says %3. The counter becomes the ledger&apos;s figure (drift %4); spend settled while this is applied is kept. The caps are then checked against it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release a reservation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 (agent %2, user %3) still holds %4 reserved: %5. Releasing it takes it out of the user&apos;s, the agent&apos;s and the global counters, so that the caps stop counting it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;lease</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 UTC by %3: %4%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend alert changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter rebuilt from the ledger</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::SpendService</name>
    <message>
        <source>Setting the daily cap of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the spend alert of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rebuilding the counter of %1 from the ledger…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Releasing the reservation of run %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::SpendTableModel</name>
    <message>
        <source> (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (time-boxed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ⚠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>crossed at %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled plus reserved by requests in flight: what the daily cap is checked against.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Redis counter&apos;s settled spend minus the ledger in PostgreSQL (%1). Flagged beyond a cent or 1 %, whichever is more.%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Redis holds no counter for today yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the daily cap is reached at the last 15 minutes&apos; pace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by %1 (revision %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Burn 15 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Burn 1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End of day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cap reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused daily</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused per req.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert</source>
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
        <source>The schema (version %1) is older than this console (%2): run `pitwallctl migrate` against it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schema (version %1) is newer than this console (%2): upgrade Pitwall.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::TimelineView</name>
    <message>
        <source>Trace timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · Shift+wheel: rows · W/S zoom · A/D pan · F fit selection · 0 fit all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a run to see its trace.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::TracePage</name>
    <message>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;gent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ince</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost ≥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps ≥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter or double-click opens the run&apos;s trace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;More runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trace open. Find a run above, or press Enter on a live run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous span in time (P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next span in time (N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next LLM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next LLM call (L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next tool call (T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next failed span (E; Shift+E: previous)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Underline the spans that determined when the run ended (C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeated tool calls with the same arguments, marked in purple</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search names, tools, models (Ctrl+F, Enter: next)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Attributes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No run matches these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tool loop(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 ×%2 at +%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at +%1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all %1 KB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>

… the first %1 characters of %2 bytes: Show all shows the rest, Copy copies all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing matches &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>why: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shown as a root: its parent %1 descends from it (a parent cycle in the data)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::TraceTreeModel</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (error)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model or tool</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pitwall::TracesService</name>
    <message>
        <source>Could not list runs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The span is no longer in the store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the span: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 is not in PostgreSQL yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not look up the trace of run %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no spans in the store yet: a live run writes each span when it ends. Reload with F5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the trace: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
