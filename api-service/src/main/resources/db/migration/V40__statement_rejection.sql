-- Lets one statement fail its whole transaction with a named problem. An order is created by a single
-- statement with its COMMIT already sent behind it (one round trip), so a condition that statement finds
-- half-way (a concurrent order took the last use of a limited promotion) must fail the statement itself for
-- nothing to commit. The SQLSTATE is ours; the message is the problem's type.
CREATE FUNCTION reject(problem text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'RL409', MESSAGE = problem;
END
$$;
