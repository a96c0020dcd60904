-- Migration 0004: the canary judge's policy, tool calls per run, and a rollback that settles
-- the runs in flight on the canary version.
--
-- Like 0001 and 0003 it runs in one transaction as a superuser (or the database owner) and
-- changes no existing name or signature: every caller of version 3 keeps working.
--
-- Contract changes (schema version 4):
--
--   table
--     canary_policy      agent pk; how the canary judge decides for that agent: min_runs
--                        (runs per arm before any verdict, 10..100000, default 50), the
--                        tolerances success_rate_tolerance (absolute, 0..0.5, default 0.02),
--                        latency_tolerance, cost_tolerance, steps_tolerance (relative,
--                        0..5, default 0.10), tail_tolerance (absolute share of runs beyond
--                        the stable arm's p95, 0..0.5, default 0.025), revision, updated_at,
--                        updated_by. An agent without a row is judged by those defaults.
--                        Readable by every role; written only by act_set_canary_policy.
--
--   columns
--     runs.tool_calls    int NOT NULL DEFAULT 0   tool spans of the run, written at its end
--     runs.tool_errors   int NOT NULL DEFAULT 0   of which ended in error; 0 <= errors <= calls
--                                                 (CHECK runs_tool_counts). Writers of
--                                                 version 3 leave both at 0: "no data".
--
--   functions
--     pitwall.act_set_canary_policy(p_action_id uuid, p_agent text, p_min_runs int,
--         p_success_rate_tolerance numeric, p_latency_tolerance numeric,
--         p_cost_tolerance numeric, p_steps_tolerance numeric, p_tail_tolerance numeric,
--         p_expected_revision bigint, p_reason text) RETURNS jsonb
--         For pitwall_operator or pitwall_budget_owner (PW001 otherwise). The agent must
--         have a rollout (PW003); each value within its range (PW004, naming it); a stale
--         revision is refused (PW002; 0 is the revision of an agent without a row). Audited
--         as kind set_canary_policy, target the agent; nothing to mirror to Redis, so the
--         action is marked mirrored in the same transaction.
--     pitwall.act_rollback(p_action_id uuid, p_agent text, p_expected_revision bigint,
--         p_reason text, p_in_flight text) RETURNS jsonb
--         The rollback of 0001, plus what happens to the runs still running on the canary
--         version: 'finish' lets them end, 'kill' kills them with this one action. Its params
--         record in_flight, kill_runs (the ids of the runs then running on the canary version,
--         at most 1000, else PW006 with the count) and kill_count. The client sets their kill
--         flags in Redis when it applies the action, like a kill_run's. A replay returns the
--         first result with its in_flight and kill count; a replay asking the other in_flight
--         is refused (PW005).
--
--   index
--     actions_target_idx (target, requested_at DESC), for a rollout's history.
--     pitwall.is_kill_of(p_action_id uuid, p_run_id uuid)
--         also true for a rollback action whose kill_runs holds the run, so that the guard
--         may record it as the kill it obeyed.

CREATE TABLE pitwall.canary_policy (
    agent                  text PRIMARY KEY,
    min_runs               int NOT NULL DEFAULT 50
        CONSTRAINT canary_policy_min_runs CHECK (min_runs BETWEEN 10 AND 100000),
    success_rate_tolerance numeric(6,4) NOT NULL DEFAULT 0.02
        CONSTRAINT canary_policy_success CHECK (success_rate_tolerance BETWEEN 0 AND 0.5),
    latency_tolerance      numeric(6,4) NOT NULL DEFAULT 0.10
        CONSTRAINT canary_policy_latency CHECK (latency_tolerance BETWEEN 0 AND 5),
    cost_tolerance         numeric(6,4) NOT NULL DEFAULT 0.10
        CONSTRAINT canary_policy_cost CHECK (cost_tolerance BETWEEN 0 AND 5),
    steps_tolerance        numeric(6,4) NOT NULL DEFAULT 0.10
        CONSTRAINT canary_policy_steps CHECK (steps_tolerance BETWEEN 0 AND 5),
    tail_tolerance         numeric(6,4) NOT NULL DEFAULT 0.025
        CONSTRAINT canary_policy_tail CHECK (tail_tolerance BETWEEN 0 AND 0.5),
    revision               bigint NOT NULL DEFAULT 1,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    updated_by             text NOT NULL DEFAULT session_user
);
GRANT SELECT ON pitwall.canary_policy TO pitwall_viewer, pitwall_operator, pitwall_budget_owner;

-- A constant default adds the columns without rewriting the table; the CHECK is added NOT VALID
-- (no scan under the ALTER's exclusive lock, which would stop the agents) and validated after,
-- under a lock that lets them write.
ALTER TABLE pitwall.runs
    ADD COLUMN tool_calls int NOT NULL DEFAULT 0,
    ADD COLUMN tool_errors int NOT NULL DEFAULT 0,
    ADD CONSTRAINT runs_tool_counts
        CHECK (tool_calls >= 0 AND tool_errors BETWEEN 0 AND tool_calls) NOT VALID;
ALTER TABLE pitwall.runs VALIDATE CONSTRAINT runs_tool_counts;

-- The history of one rollout (the canary page reads it for every agent).
CREATE INDEX actions_target_idx ON pitwall.actions (target, requested_at DESC);
GRANT UPDATE (tool_calls, tool_errors) ON pitwall.runs TO pitwall_agent;

-- A numeric argument within [p_min, p_max], or a sentence naming it.
CREATE FUNCTION pitwall.require_between(p_value numeric, p_what text, p_min numeric,
                                        p_max numeric)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE SET search_path = pitwall, pg_temp
AS $$
BEGIN
    IF p_value IS NULL OR p_value = 'NaN'::numeric OR p_value < p_min OR p_value > p_max THEN
        RAISE EXCEPTION '% must be between % and %, not %', p_what, p_min, p_max,
            coalesce(p_value::text, 'null')
            USING ERRCODE = 'PW004';
    END IF;
    RETURN p_value;
END
$$;
REVOKE EXECUTE ON FUNCTION pitwall.require_between(numeric, text, numeric, numeric) FROM PUBLIC;

CREATE FUNCTION pitwall.canary_policy_json(p pitwall.canary_policy)
RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pitwall, pg_temp
RETURN jsonb_build_object('min_runs', p.min_runs,
                          'success_rate_tolerance', p.success_rate_tolerance,
                          'latency_tolerance', p.latency_tolerance,
                          'cost_tolerance', p.cost_tolerance,
                          'steps_tolerance', p.steps_tolerance,
                          'tail_tolerance', p.tail_tolerance,
                          'revision', p.revision);
REVOKE EXECUTE ON FUNCTION pitwall.canary_policy_json(pitwall.canary_policy) FROM PUBLIC;

CREATE FUNCTION pitwall.act_set_canary_policy(p_action_id uuid, p_agent text, p_min_runs int,
                                              p_success_rate_tolerance numeric,
                                              p_latency_tolerance numeric,
                                              p_cost_tolerance numeric,
                                              p_steps_tolerance numeric,
                                              p_tail_tolerance numeric,
                                              p_expected_revision bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay  jsonb;
    need_role text;
    had_row boolean;
    current_revision bigint;
    old_row pitwall.canary_policy;
    new_row pitwall.canary_policy;
    result  jsonb;
BEGIN
    IF pg_has_role(session_user, 'pitwall_operator', 'MEMBER') THEN
        need_role := 'pitwall_operator';
    ELSIF pg_has_role(session_user, 'pitwall_budget_owner', 'MEMBER') THEN
        need_role := 'pitwall_budget_owner';
    ELSE
        RAISE EXCEPTION 'role "%" may not change canary policies: that needs pitwall_operator '
                        'or pitwall_budget_owner', session_user
            USING ERRCODE = 'PW001';
    END IF;
    replay := pitwall.begin_action(p_action_id, 'set_canary_policy', p_agent, need_role,
                                   'change canary policies', p_reason);
    IF replay IS NOT NULL THEN
        RETURN replay;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pitwall.rollouts WHERE agent = p_agent) THEN
        RAISE EXCEPTION 'unknown agent "%"', p_agent USING ERRCODE = 'PW003';
    END IF;
    PERFORM pitwall.require_between(p_min_runs, 'the minimum runs per arm', 10, 100000);
    PERFORM pitwall.require_between(p_success_rate_tolerance, 'the success rate tolerance', 0,
                                    0.5);
    PERFORM pitwall.require_between(p_latency_tolerance, 'the latency tolerance', 0, 5);
    PERFORM pitwall.require_between(p_cost_tolerance, 'the cost tolerance', 0, 5);
    PERFORM pitwall.require_between(p_steps_tolerance, 'the steps tolerance', 0, 5);
    PERFORM pitwall.require_between(p_tail_tolerance, 'the tail tolerance', 0, 0.5);

    -- Serializes the first policy of an agent, which has no row to lock yet.
    PERFORM pg_advisory_xact_lock(hashtext('pitwall.canary_policy'), hashtext(p_agent));
    SELECT * INTO old_row FROM pitwall.canary_policy WHERE agent = p_agent FOR UPDATE;
    had_row := FOUND;
    current_revision := coalesce(old_row.revision, 0);
    IF p_expected_revision IS NOT NULL AND p_expected_revision <> current_revision THEN
        RAISE EXCEPTION 'stale revision: the canary policy of agent "%" is at revision %, '
                        'the request was made against revision %',
            p_agent, current_revision, p_expected_revision
            USING ERRCODE = 'PW002';
    END IF;

    INSERT INTO pitwall.canary_policy AS p (agent, min_runs, success_rate_tolerance,
                                            latency_tolerance, cost_tolerance, steps_tolerance,
                                            tail_tolerance)
    VALUES (p_agent, p_min_runs, p_success_rate_tolerance, p_latency_tolerance,
            p_cost_tolerance, p_steps_tolerance, p_tail_tolerance)
    ON CONFLICT (agent) DO UPDATE
        SET min_runs = EXCLUDED.min_runs,
            success_rate_tolerance = EXCLUDED.success_rate_tolerance,
            latency_tolerance = EXCLUDED.latency_tolerance,
            cost_tolerance = EXCLUDED.cost_tolerance,
            steps_tolerance = EXCLUDED.steps_tolerance,
            tail_tolerance = EXCLUDED.tail_tolerance,
            revision = p.revision + 1,
            updated_at = now(),
            updated_by = session_user
    RETURNING * INTO new_row;

    result := pitwall.finish_action(
        p_action_id, 'set_canary_policy', p_agent,
        jsonb_build_object('agent', p_agent, 'expected_revision', p_expected_revision),
        CASE WHEN had_row THEN pitwall.canary_policy_json(old_row) END,
        pitwall.canary_policy_json(new_row), p_reason);
    -- Nothing lives in Redis: applied as it commits.
    UPDATE pitwall.actions
       SET mirrored_at = now(), mirrored_by = session_user,
           outcome = jsonb_build_object('mirror', 'none')
     WHERE action_id = p_action_id;
    RETURN result;
END
$$;

CREATE FUNCTION pitwall.act_rollback(p_action_id uuid, p_agent text,
                                     p_expected_revision bigint, p_reason text,
                                     p_in_flight text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pitwall, pg_temp
AS $$
DECLARE
    replay   jsonb;
    canary   text;
    kill_list jsonb;
    n        bigint;
    result   jsonb;
BEGIN
    IF p_in_flight IS NULL OR p_in_flight NOT IN ('finish', 'kill') THEN
        RAISE EXCEPTION 'what happens to the runs in flight on the canary must be "finish" or '
                        '"kill", not %', coalesce('"' || left(p_in_flight, 40) || '"', 'null')
            USING ERRCODE = 'PW004';
    END IF;
    -- A replay returns the first result, with what it decided about the runs in flight.
    replay := pitwall.begin_action(p_action_id, 'rollback', p_agent, 'pitwall_operator',
                                   'change rollouts', p_reason);
    IF replay IS NOT NULL THEN
        SELECT coalesce(params->>'in_flight', 'finish'), coalesce((params->>'kill_count')::int, 0)
          INTO canary, n
          FROM pitwall.actions WHERE action_id = p_action_id;
        IF canary <> p_in_flight THEN
            RAISE EXCEPTION 'action id % was already used for a rollback that let the runs in '
                            'flight %', p_action_id, canary
                USING ERRCODE = 'PW005';
        END IF;
        RETURN replay || jsonb_build_object('in_flight', canary, 'kill_runs', n);
    END IF;

    SELECT canary_version INTO canary FROM pitwall.rollouts WHERE agent = p_agent FOR UPDATE;
    IF p_in_flight = 'kill' AND canary IS NOT NULL THEN
        SELECT count(*) INTO n FROM pitwall.runs
         WHERE agent = p_agent AND version = canary AND status = 'running';
        IF n > 1000 THEN
            RAISE EXCEPTION '% runs are in flight on canary % of agent "%": more than 1000 '
                            'cannot be killed with the rollback; roll back letting them finish, '
                            'then kill them from the live runs', n, canary, p_agent
                USING ERRCODE = 'PW006';
        END IF;
        SELECT coalesce(jsonb_agg(run_id::text ORDER BY started_at), '[]'::jsonb) INTO kill_list
          FROM pitwall.runs
         WHERE agent = p_agent AND version = canary AND status = 'running';
    ELSE
        kill_list := '[]'::jsonb;
    END IF;

    result := pitwall.change_rollout(p_action_id, 'rollback', p_agent, NULL, p_expected_revision,
                                     p_reason);
    UPDATE pitwall.actions
       SET params = params || jsonb_build_object('in_flight', p_in_flight, 'kill_runs', kill_list,
                                                 'kill_count', jsonb_array_length(kill_list))
     WHERE action_id = p_action_id;
    RETURN result || jsonb_build_object('in_flight', p_in_flight,
                                        'kill_runs', jsonb_array_length(kill_list));
END
$$;

CREATE OR REPLACE FUNCTION pitwall.is_kill_of(p_action_id uuid, p_run_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pitwall, pg_temp
RETURN EXISTS (SELECT 1 FROM pitwall.actions
                WHERE action_id = p_action_id
                  AND ((kind = 'kill_run' AND target = p_run_id::text)
                       OR (kind = 'rollback' AND params -> 'kill_runs' ? p_run_id::text)));

REVOKE EXECUTE ON FUNCTION pitwall.act_set_canary_policy(uuid, text, int, numeric, numeric,
                                                         numeric, numeric, numeric, bigint, text),
    pitwall.act_rollback(uuid, text, bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pitwall.act_set_canary_policy(uuid, text, int, numeric, numeric,
                                                        numeric, numeric, numeric, bigint, text),
    pitwall.act_rollback(uuid, text, bigint, text, text)
    TO pitwall_viewer, pitwall_operator, pitwall_budget_owner;
