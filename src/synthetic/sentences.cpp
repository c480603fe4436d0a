#include "synthetic/sentences.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/text.hpp"

namespace needsmap::synthetic {

namespace {

constexpr std::array<std::string_view, 16> phrases = {
    "Помоћ у кући за старије",
    "Превоз до дома здравља",
    "Дневни боравак за децу са сметњама у развоју",
    "Народна кухиња",
    "Пензионерка, радим хонорарно",
    "Живим са унуком",
    "Подстанар сам",
    "Самохрани отац",
    "Хронична болест срца",
    "Комшије повремено помогну",
    "Чекам на смештај у дому за старе",
    "Огрев за зиму",
    "Лична пратња за дете",
    "Помоћ у набавци лекова",
    "Сезонски посао у пољопривреди",
    "Нико из породице не живи близу",
};

constexpr std::array<std::string_view, 20> sentences = {
    "Мајка ми је непокретна и потребна јој је помоћ у кући бар неколико сати дневно.",
    "Из нашег села аутобус иде само два пута недељно, па до центра за социјални рад тешко "
    "стижемо.",
    "Дневни боравак за старије би много значио, јер смо деца на послу по цео дан.",
    "На листи чекања за помоћ у кући смо већ више од годину дана.",
    "Потребан је превоз за особе са инвалидитетом до дома здравља и до општине.",
    "Услуге постоје, али нико нас није обавестио како да их добијемо.",
    "Процедура је компликована и тражи много папира које старији људи не могу сами да прибаве.",
    "Пензија није довољна ни за лекове и рачуне, а о огреву да не причам.",
    "Дете има аутизам, а у општини нема дневног боравка ни логопеда.",
    "Волео бих да постоји саветовалиште за породице у кризи.",
    "Старији суседи живе сами и по неколико дана никога не виде.",
    "Геронтодомаћице долазе ретко, а потребе су сваким даном све веће.",
    "Хвала што нас питате, надам се да ће се нешто и променити.",
    "Народна кухиња ради само радним данима, а викендом немамо топао оброк.",
    "Више пажње треба посветити ромским породицама у приградским насељима.",
    "Интернет не користим, па све информације добијам од комшија.",
    "Као неговатељица супруга немам ниједан слободан дан, потребан ми је предах.",
    "Путеви до засеока зими нису очишћени, па ни хитна помоћ не може да стигне.",
    "Млади одлазе из села, а стари остају без икакве подршке.",
    "Социјални радници су љубазни, али их има премало за толико људи.",
};

// The first max_length code points of s.
std::string cut(const std::string& s, std::size_t max_length) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool starts_point = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts_point && points++ == max_length) return s.substr(0, i);
  }
  return s;
}

}  // namespace

const Sentences& Sentences::built_in() {
  static const Sentences texts;
  return texts;
}

Sentences::Sentences() {
  auto fill = [](Texts& texts, auto source) {
    for (std::string_view s : source) {
      texts.cyrillic.emplace_back(s);
      texts.latin.push_back(text::serbian_to_latin(s));
    }
  };
  fill(m_phrases, phrases);
  fill(m_sentences, sentences);
}

std::string Sentences::phrase(Random& random, Script script, std::size_t max_length) const {
  const auto& list = m_phrases.in(script);
  return cut(list[random.below(list.size())], max_length);
}

std::string Sentences::paragraph(Random& random, Script script, std::size_t max_length) const {
  const auto& list = m_sentences.in(script);
  std::vector<std::uint64_t> used{random.below(list.size())};
  std::string out = list[used.front()];
  std::uint64_t more = random.below(3);
  for (std::uint64_t i = 0; i < more; ++i) {
    std::uint64_t n = random.below(list.size());
    if (std::ranges::find(used, n) != used.end()) continue;  // no one writes a sentence twice
    used.push_back(n);
    const std::string& next = list[n];
    if (text::code_points(out) + 1 + text::code_points(next) > max_length) break;
    out += ' ';
    out += next;
  }
  return cut(out, max_length);
}

}  // namespace needsmap::synthetic
