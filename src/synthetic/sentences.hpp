// What generated respondents type: short phrases and sentences in Serbian, as people in a
// municipality might write them about home care, transport, day care and waiting lists. Written
// in Cyrillic; the Latin forms are transliterated once.
#pragma once

#include <string>
#include <vector>

#include "synthetic/random.hpp"

namespace needsmap::synthetic {

enum class Script { cyrillic, latin };

class Sentences {
 public:
  // The built-in texts (transliterated on first use).
  static const Sentences& built_in();

  // A short phrase, as typed into "other, please specify"; at most max_length code points.
  std::string phrase(Random& random, Script script, std::size_t max_length) const;
  // One to three sentences; at most max_length code points.
  std::string paragraph(Random& random, Script script, std::size_t max_length) const;

 private:
  Sentences();
  struct Texts {
    std::vector<std::string> cyrillic, latin;
    const std::vector<std::string>& in(Script s) const {
      return s == Script::latin ? latin : cyrillic;
    }
  };
  Texts m_phrases;
  Texts m_sentences;
};

}  // namespace needsmap::synthetic
