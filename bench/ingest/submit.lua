-- wrk script: every request submits a valid citizens response with a fresh submission_id.
-- Counts 201 (stored) and anything else separately, so the figures are durable responses.
-- With SUBMIT_REFUSED=1 one answer is a choice not in its list: the server parses and checks
-- the whole response and answers 422, storing nothing; then 422 is the status counted.
local body_template = [[{"submission_id":"%s","answers":{"age_band":"65_79","sex":"female",
"settlement":"rural","employment":"retired","income_adequacy":"difficulty","household":"alone",
"household_size":1,"hh_disability":"no","caring_duties":"no","risk_factors":["poverty","old_age_alone"],
"housing_condition":"poor","lonely":"often","help_source":["family"],"current_user":"no",
"services_known":%s,"info_source":["csr"],"csr_contact":"no","barriers":["distance_transport"],
"gave_up":"no","travel_time":"30_60","public_transport":"rarely","internet_use":"with_help",
"unmet_need":"no","needed_groups":["older_alone"],"top_services":["home_care"],
"home_care_interest":"yes","co_payment":"small_part","volunteering":"no",
"municipality_care":"partly","fill_mode":"family_help","suggestions":"Више кућне неге у селима."}}]]

local threads = {}
local counter = 0
created = 0
other = 0
local services_known = os.getenv("SERVICES_KNOWN") or "{}"
local refused = os.getenv("SUBMIT_REFUSED") == "1"
local counted_status = refused and 422 or 201
if refused then
  body_template = body_template:gsub('"co_payment":"small_part"', '"co_payment":"not_a_choice"')
end
-- The request is built once around the submission id, which has a fixed length, so a request
-- costs the client one concatenation: the client shares the machine's cores with the server.
local head, tail

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  local marker = "00000000-0000-4000-a000-000000000000"
  local request = wrk.format("POST", nil, {["Content-Type"] = "application/json"},
    string.format(body_template, marker, services_known))
  local at = request:find(marker, 1, true)
  head, tail = request:sub(1, at - 1), request:sub(at + #marker)
end

local function uuid()
  counter = counter + 1
  return string.format("%08x-%04x-4%03x-a%03x-%012x", math.random(0, 0x7fffffff), id,
    math.random(0, 0xfff), math.random(0, 0xfff), counter)
end

function request()
  return head .. uuid() .. tail
end

function response(status, headers, body)
  if status == counted_status then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT created=%d other=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f\n",
    c, o, seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
