// Texts of the results pages' additions (chart downloads, merged taps, workshops and
// the live screen), merged into the console's table by i18n.js.
export const T_RESULTS = {
  chartDownload: ['Lataa {0}', 'Ladda ner {0}', 'Download {0}'],
  mergedTaps: ['Toistuvia napautuksia yhdistetty: {0} (yksi henkilö, yksi palaute; ei mukana kokonaismäärässä)',
    'Upprepade tryckningar sammanslagna: {0} (en person, en respons; ingår inte i totalen)',
    'Repeated taps merged: {0} (one person, one feedback; not in the total)'],
  tallyVotesChart: ['Äänet hankkeittain', 'Röster per projekt', 'Votes per project'],
  tallySpentLeft: ['Budjetti', 'Budget', 'Budget'],
  tallySpent: ['Käytetty', 'Använt', 'Spent'],
  tallyLeft: ['Jäljellä', 'Kvar', 'Left'],
  tallyWinnersList: ['Voittajat', 'Vinnare', 'Winners'],
  tallyNoWinners: ['Ei voittajia.', 'Inga vinnare.', 'No winners.'],
};
