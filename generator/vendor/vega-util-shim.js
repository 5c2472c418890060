const isString = (_) => typeof _ === "string";
const ascending = (_u, _v) => {
  let u = _u, v = _v;
  return (u < v || u == null) && v != null ? -1
    : (u > v || v == null) && u != null ? 1
    : ((v = v instanceof Date ? +v : v), (u = u instanceof Date ? +u : u)) !== u && v === v ? -1
    : v !== v && u === u ? 1 : 0;
};
const DisallowedObjectProperties = new Set([...Object.getOwnPropertyNames(Object.prototype)
  .filter((name) => typeof Object.prototype[name] === "function"), "__proto__", "then"]);
