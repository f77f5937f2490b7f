-- Argo CD health of a Vigil resource (all seven kinds of siem.vigil.dev share it; kustomization.yaml and
-- argocd-cm-patch.yaml install it as resource.customizations.health.siem.vigil.dev_<Kind>).
--   Healthy      Ready=True and the operator has acted on the current spec (observedGeneration = generation)
--   Progressing  no status yet, the operator has not acted on the latest spec, Ready=Unknown, or a condition
--                says work is under way (ingester pods starting, a LogReplay's Job not started yet)
--   Degraded     Ready=False otherwise, with the condition's reason and message
-- Argo CD opens no string library for health scripts: only operators and the base library are used here.
local hs = {}
local work_under_way = { PodsNotReady = true, JobPending = true }

local function describe(condition)
  local text = condition.reason or condition.type
  if condition.message ~= nil and condition.message ~= "" then
    text = text .. ": " .. condition.message
  end
  return text
end

local generation = obj.metadata.generation
local status = obj.status
if status == nil or status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Vigil operator to act on this resource"
  return hs
end
if generation ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "The operator has acted on generation " .. status.observedGeneration ..
      ", not yet on the current " .. generation
  return hs
end

local ready = nil
local busy = nil
for _, condition in ipairs(status.conditions or {}) do
  if condition.type == "Ready" then
    ready = condition
  end
  if condition.status ~= "True" and condition.reason ~= nil and work_under_way[condition.reason] then
    busy = condition
  end
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
elseif ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
elseif ready.status == "Unknown" then
  hs.status = "Progressing"
  hs.message = describe(ready)
elseif busy ~= nil then
  hs.status = "Progressing"
  hs.message = describe(busy)
else
  hs.status = "Degraded"
  hs.message = describe(ready)
end
return hs
