-- wrk script for bench/verify.py: each request GETs one path chosen at random from a file of
-- verification ids, as PREFIX .. id .. SUFFIX (wrk ... -s wrk_paths.lua URL -- PREFIX SUFFIX FILE).
local paths = {}

function init(args)
  local prefix, suffix, file = args[1], args[2], args[3]
  for line in io.lines(file) do
    paths[#paths + 1] = prefix .. line .. suffix
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
