// A small report document with every kind of block, in Serbian Cyrillic, for the renderers' tests.
#pragma once

#include "report/document.hpp"

namespace needsmap::report::testing {

inline Document sample_document() {
  Document d{.language = "sr-Cyrl",
             .title = "Резултати истраживања потреба за социјалном заштитом",
             .subtitle = "Општина Пример · Грађани 2026",
             .municipality = "Општина Пример",
             .date = "5. децембар 2026.",
             .footer = "needsmap · Општина Пример",
             .sections = {}};
  Section method{.level = 1, .id = "method", .heading = "Метод", .blocks = {}};
  method.blocks.push_back(Paragraph{"Анкета је била анонимна; одговорило је 812 грађана."});
  method.blocks.push_back(BulletList{{"Период: 1–30. новембар 2026.", "Начини: веб, интервју"}});
  Section profile{.level = 1, .id = "profile", .heading = "Ко је одговорио", .blocks = {}};
  Section age{.level = 2, .id = "age_band", .heading = "Старост", .blocks = {}};
  age.blocks.push_back(Table{.id = "age_band",
                             .caption = "Старост испитаника",
                             .columns = {"Одговор", "Удео", "95% интервал", "Број"},
                             .numeric = {false, true, true, true},
                             .rows = {{{"18–29", std::nullopt},
                                       {"23,4 %", 23.4},
                                       {"20,1 – 26,7 %", std::nullopt},
                                       {"190", 190}},
                                      {{"65 и више", std::nullopt},
                                       {"41,9 %", 41.9},
                                       {"38,0 – 45,8 %", std::nullopt},
                                       {"340", 340}},
                                      {{"Не желим да кажем", std::nullopt},
                                       {"скривено", std::nullopt},
                                       {"скривено", std::nullopt},
                                       {"скривено", std::nullopt}}},
                             .note = "Скривено: мање од 5 испитаника."});
  age.blocks.push_back(BarChart{.caption = "Старост испитаника",
                                .description = "Највише испитаника има 65 и више година (41,9 %).",
                                .scale_max = 100,
                                .bars = {{.label = "18–29",
                                          .value = 23.4,
                                          .low = 20.1,
                                          .high = 26.7,
                                          .text = "23,4 %",
                                          .hidden = false},
                                         {.label = "65 и више",
                                          .value = 41.9,
                                          .low = 38.0,
                                          .high = 45.8,
                                          .text = "41,9 %",
                                          .hidden = false},
                                         {.label = "Не желим да кажем",
                                          .value = 0,
                                          .low = std::nullopt,
                                          .high = std::nullopt,
                                          .text = "скривено",
                                          .hidden = true}}});
  d.sections = {method, profile, age};
  return d;
}

}  // namespace needsmap::report::testing
