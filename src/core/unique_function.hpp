// A move-only callable, like std::move_only_function. libstdc++ 12's move_only_function
// corrupts the heap when a moved-from object holding a small lambda is destroyed, so needsmap
// uses this one: one allocation per callable, nothing clever.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace needsmap {

template <typename Signature>
class UniqueFunction;

template <typename R, typename... Args>
class UniqueFunction<R(Args...)> {
 public:
  UniqueFunction() = default;
  template <typename F>
  requires(!std::is_same_v<std::decay_t<F>, UniqueFunction> &&
           std::is_invocable_r_v<R, F&, Args...>) UniqueFunction(F f)
      : m_callable(std::make_unique<Holder<F>>(std::move(f))) {}

  R operator()(Args... args) { return m_callable->call(std::forward<Args>(args)...); }
  explicit operator bool() const { return m_callable != nullptr; }

 private:
  struct Callable {
    virtual ~Callable() = default;
    virtual R call(Args... args) = 0;
  };
  template <typename F>
  struct Holder final : Callable {
    explicit Holder(F f) : function(std::move(f)) {}
    R call(Args... args) override { return function(std::forward<Args>(args)...); }
    F function;
  };
  std::unique_ptr<Callable> m_callable;
};

}  // namespace needsmap
