-- Audit rows are sealed as they are written (DATA-MODEL.md §3.4 as changed in docs/decisions.md).
-- The writer sends each row as its canonical JSON text, the exact text its hash covers, grouped by
-- workspace (workspaces in order, rows in arrival order); under the
-- lock of each workspace's chain head (taken in workspace order, so batches never wait on each
-- other in a cycle) the rows get the next sequence numbers in arrival order, their hashes chain
-- from the head, and the head moves with them: one statement, all or none. The formula is the
-- one the sealer uses: hash = SHA-256(prev_hash || utf8(seq || '\n' || canonical JSON)).
CREATE OR REPLACE FUNCTION ah5_append_audit(workspace_ids uuid[], canons text[]) RETURNS void AS $$
DECLARE
  n int := cardinality(canons);
  cur uuid;
  head_seq bigint;
  head_hash bytea;
  seqs bigint[] := '{}';
  prevs bytea[] := '{}';
  hashes bytea[] := '{}';
BEGIN
  -- Rows arrive grouped by workspace, workspaces in order, each group in arrival order.
  FOR i IN 1..n LOOP
    IF cur IS DISTINCT FROM workspace_ids[i] THEN
      IF cur IS NOT NULL THEN
        UPDATE t_audit_chain_heads
        SET last_seq = head_seq, last_hash = head_hash, sealed_at = now(), updated_at = now()
        WHERE workspace_id = cur;
      END IF;
      cur := workspace_ids[i];
      SELECT h.last_seq, h.last_hash INTO head_seq, head_hash
      FROM t_audit_chain_heads h WHERE h.workspace_id = cur FOR UPDATE;
      IF NOT FOUND THEN
        INSERT INTO t_audit_chain_heads (workspace_id) VALUES (cur) ON CONFLICT DO NOTHING;
        SELECT h.last_seq, h.last_hash INTO STRICT head_seq, head_hash
        FROM t_audit_chain_heads h WHERE h.workspace_id = cur FOR UPDATE;
      END IF;
    END IF;
    head_seq := head_seq + 1;
    seqs := seqs || head_seq;
    prevs := prevs || head_hash;
    head_hash := sha256(head_hash || convert_to(head_seq::text || E'\n' || canons[i], 'UTF8'));
    hashes := hashes || head_hash;
  END LOOP;
  IF cur IS NOT NULL THEN
    UPDATE t_audit_chain_heads
    SET last_seq = head_seq, last_hash = head_hash, sealed_at = now(), updated_at = now()
    WHERE workspace_id = cur;
  END IF;
  INSERT INTO l_audit_events (
    id, workspace_id, occurred_at, actor_type, actor_id, action, target_type, target_id, agent_id,
    connection_id, policy_id, policy_version, decision, outcome, code, http_status, latency_ms,
    request_id, details, seq, prev_hash, hash)
  SELECT e.id, e."workspaceId", e."occurredAt", e."actorType", e."actorId", e.action, e."targetType",
    e."targetId", e."agentId", e."connectionId", e."policyId", e."policyVersion", e.decision,
    e.outcome, e.code, e."httpStatus", e."latencyMs", e."requestId", coalesce(e.details, '{}'::jsonb),
    s.seq, s.prev, s.hash
  FROM unnest(canons, seqs, prevs, hashes) AS s(canon, seq, prev, hash)
  CROSS JOIN LATERAL jsonb_to_record(s.canon::jsonb) AS e(
    id uuid, "workspaceId" uuid, "occurredAt" timestamptz, "actorType" actor_type, "actorId" uuid,
    action text, "targetType" text, "targetId" uuid, "agentId" uuid, "connectionId" uuid,
    "policyId" uuid, "policyVersion" int, decision audit_decision, outcome audit_outcome, code text,
    "httpStatus" smallint, "latencyMs" int, "requestId" text, details jsonb);
END;
$$ LANGUAGE plpgsql;
